"""Across organisations: which have a plan and hold rounds, who published on time, how results spread by dimension,
budget planned against spent, ITA targets against scores, overdue findings; and the organisations behind each."""

from acplan.ui import rollup, session, state

state.ensure_router()
rollup.page(session.account_actor(), state.lang())
