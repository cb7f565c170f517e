"""Geography of France for Relais: the national commune registry (`communes`)."""

from bot.geo.communes import Commune, CommuneRegistry, locate_commune, registry

__all__ = ["Commune", "CommuneRegistry", "locate_commune", "registry"]
