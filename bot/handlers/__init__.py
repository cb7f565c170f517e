"""One module per slash command; each exposes `command`, listed by its feature in `bot.features` (whose order is
the order of `/aide`).

Handlers are thin: parse, call plain domain functions, format a `Reply`. The registry runs each one off the event
loop (see `bot.core.offloop` and `bot.core.registry`): still, never `await` while a database session or a lock is
held, and send CPU-heavy work to `await ctx.app.run_cpu(fn, ...)`.
"""
