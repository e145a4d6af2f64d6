"""The models of the residents app, one module per subject. Import from the defining module
(``residents.models.resident``); this package only makes Django see every model of the app."""

from residents.importing.models import ImportJob
from residents.models.care import Distribution, SpecialStatus, SupplyStock, Visit, VisitCadence
from residents.models.community import Community, Membership
from residents.models.place import Building, Room, Unit, Zone
from residents.models.resident import AccessLog, Resident

__all__ = [
    "AccessLog",
    "Building",
    "Community",
    "Distribution",
    "ImportJob",
    "Membership",
    "Resident",
    "Room",
    "SpecialStatus",
    "SupplyStock",
    "Unit",
    "Visit",
    "VisitCadence",
    "Zone",
]
