"""Country groups: Belt and Road lists, corridors, regional blocs, EU/OECD by year, user groups.

The groups are data with sources (``silkchain/groups/data``), not code; see
``docs/groups.md``. Main entry points: :func:`get_group`, :func:`list_groups`,
:func:`load_user_groups` and :meth:`Group.members_in`, which says which
members are countries of a table and which are hidden in its rest of world.
"""

from silkchain.groups.codes import country_name, is_iso3
from silkchain.groups.registry import (
    Group,
    GroupError,
    GroupMapping,
    GroupNotFoundError,
    Member,
    get_group,
    list_groups,
    load_user_groups,
    register_group,
    unregister_group,
)

__all__ = [
    "Group",
    "GroupError",
    "GroupMapping",
    "GroupNotFoundError",
    "Member",
    "country_name",
    "get_group",
    "is_iso3",
    "list_groups",
    "load_user_groups",
    "register_group",
    "unregister_group",
]
