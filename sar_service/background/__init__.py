"""Background work: the outbox, RQ queues and job functions, the sweep and its cron schedule.

This is the application-tied half of the workflow; the pure rules (states,
clocks, calendars, request types) stay in ``workflows``.
"""
