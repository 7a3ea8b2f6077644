"""The emergency-loop services of the desktop, wired together with the workflow guards registered.

``LoopServices.create`` is what ``anran app`` uses: from then on ``TicketService.move`` refuses moves the
rules forbid (e.g. closing without a retest reading), create/assign/narrow follow the permission matrix,
and evidence, checklist ticks, sign-ins and moves are all in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from anran_desktop.services.audit import AuditService
from anran_desktop.services.dispatch import CrewService, DispatchService
from anran_desktop.services.events import AlarmService
from anran_desktop.services.meter_readings import MeterReadingService
from anran_desktop.services.ticket_evidence import TicketEvidenceService, register_guards
from anran_desktop.services.tickets import TicketService
from anran_desktop.services.users import UserService
from anran_desktop.store import Store
from engine.network import Network


@dataclass
class LoopServices:
    users: UserService
    audit: AuditService
    evidence: TicketEvidenceService
    readings: MeterReadingService
    crew: CrewService
    dispatch: DispatchService

    @classmethod
    def create(cls, store: Store, network: Network, tickets: TicketService, alarms: AlarmService) -> LoopServices:
        users = UserService(store)
        evidence = TicketEvidenceService(store, users.role_of)
        register_guards(tickets, users.role_of, evidence)
        crew = CrewService(store, users)
        return cls(users, AuditService(store), evidence, MeterReadingService(store), crew,
                   DispatchService(store, tickets, alarms, crew, network, evidence))
