"""Accompaniment logging (CRA): La Coop de la médiation numérique's model, anonymous by design.

Plain functions, testable without Mattermost; `bot.handlers.accompagnement` and `bot.accompagnements.cli` call them.
"""
