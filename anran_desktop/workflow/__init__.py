"""Rules of the emergency loop (Qt-free): transition guards, roles and permissions, SOP templates,
SLA timers and outbound channel adapters. The service layer calls these; the UI only mirrors them."""

from anran_desktop.workflow.permissions import ACTIONS, ROLES, can
from anran_desktop.workflow.rules import Evidence, TicketState, Violation, check_transition
from anran_desktop.workflow.sla import SLA_LIMITS, SlaStatus, sla_status

__all__ = ["ACTIONS", "ROLES", "SLA_LIMITS", "Evidence", "SlaStatus", "TicketState", "Violation", "can",
           "check_transition", "sla_status"]
