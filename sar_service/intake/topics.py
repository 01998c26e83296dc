"""The common questions parents ask about a privacy notice, by topic.

A question typed in another language is matched to a topic (``intake/phrases``);
the school's notice is English, so we search it with the topic's English question
and tell the parent, in their language, what the passage we show is about.
"""

from __future__ import annotations

from sar_service.i18n.text import lazy_gettext as _l

#: topic -> (the English question we search the notice with, what the passage is about)
TOPICS = {
    "sharing": (
        "Who do you share my child's data with?",
        _l("This part of the notice is about who the school shares information with."),
    ),
    "retention": (
        "How long do you keep information?",
        _l("This part of the notice is about how long the school keeps information."),
    ),
    "purpose": (
        "Why do you collect and use my child's information?",
        _l("This part of the notice is about why the school uses information."),
    ),
    "rights": (
        "What are my rights?",
        _l("This part of the notice is about your rights."),
    ),
    "contact": (
        "Who is the data protection officer and how do I contact them?",
        _l("This part of the notice is about who to contact about data protection."),
    ),
    "collected": (
        "What information do you collect about my child?",
        _l("This part of the notice is about what information the school collects."),
    ),
}
