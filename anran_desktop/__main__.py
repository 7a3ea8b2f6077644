import sys

from anran_desktop.cli import main

sys.exit(main())
