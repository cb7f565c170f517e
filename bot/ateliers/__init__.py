"""Workshop ideas shared between counsellors: storage, votes, feedback, "idée du mois", search.

Plain functions, testable without Mattermost; `bot.handlers.atelier` formats their results.
Other features call `bot.ateliers.digest` (digest sections) and `bot.ateliers.search.suggest` (entraide).
"""

from bot.ateliers.examples import load_example_ideas

__all__ = ["load_example_ideas"]
