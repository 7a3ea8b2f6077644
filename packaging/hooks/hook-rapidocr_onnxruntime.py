"""rapidocr-onnxruntime reads config.yaml and its ONNX models from its package folder at run time."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("rapidocr_onnxruntime")
