"""What the services that send to residents through the relay share (drill invitations, area notices)."""

from __future__ import annotations

from anran_desktop.workflow.audit_sink import audit_sink
from anran_desktop.workflow.channels import ChannelLog
from anran_desktop.workflow.permissions import can


class RelaySender:
    """``actor`` (a user name) with ``role`` sends through the relay channel, every attempt in the audit log;
    ``relay_configured`` False refuses visibly (the attempt is logged as refused). ``action`` is the permission
    the sending needs."""

    action = ""

    def __init__(self, store, actor: str, role: str, *, relay_configured: bool) -> None:  # noqa: ANN001
        self.store, self.actor, self.role = store, actor, role
        self.relay_configured = relay_configured
        self.log = ChannelLog(sink=audit_sink(store, actor))

    @property
    def allowed(self) -> bool:
        return can(self.role, self.action)
