"""The offer to switch language, written in the language we think the parent typed."""

from __future__ import annotations

from sar_service.i18n.text import N_

# TRANSLATORS: say "in English" as "in <your language>" (e.g. Polish: "po polsku"): this
# sentence is only ever shown in the language the parent seems to have typed.
OFFER = N_("It looks like you wrote in English. Would you like to use this service in English?")
# TRANSLATORS: the button under the offer; "English" means your own language.
ACCEPT = N_("Yes, use English")
