"""Write every outbound channel attempt to the store's hash-chained audit log."""

from __future__ import annotations

from collections.abc import Callable

from anran_desktop.workflow.channels import Attempt


def audit_sink(store, actor: str) -> Callable[[Attempt], None]:  # noqa: ANN001
    """A :class:`ChannelLog` sink appending ``channel.send`` rows (channel, result, recipients) for ``actor``."""
    from anran_desktop.store.audit import append_audit

    def sink(att: Attempt) -> None:
        with store.begin() as conn:
            append_audit(store, conn, actor=actor, action="channel.send", entity="channel", entity_id=att.channel,
                         detail={"kind": att.message.kind, "text": att.message.text,
                                 "recipients": list(att.message.recipients), "ok": att.ok, "detail": att.detail,
                                 "delivered_to": list(att.delivered_to), "ticket": att.message.ticket_id})

    return sink
