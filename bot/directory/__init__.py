"""The referral directory (/annuaire): places on the national standard, imports, gazetteer, search."""
