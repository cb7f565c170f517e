"""Coordinator broadcasts with read receipts: who may send, to which channels, when, and who has read.

Plain functions; sending goes through the durable outbox (`bot.outbox`), one message per channel,
and `bot.handlers.annonce` formats the replies.
"""
