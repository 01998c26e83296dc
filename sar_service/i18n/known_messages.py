"""Parent-facing words defined where Flask may not be imported (pure rules, shared
validation, status labels), listed here so ``pybabel extract`` puts them in the
catalogue. They are translated where they are shown (``_(message)`` in templates).

``tests/i18n/test_catalogues.py`` checks this list still matches the sources.
"""

from __future__ import annotations

from sar_service.i18n.text import N_

#: workflows.states.PARENT_LABELS
PARENT_LABELS = (
    N_("We have received your request."),
    N_("We need proof of your identity before we can start."),
    N_("We have asked you a question. The time limit is paused until you answer."),
    N_("We are finding the information."),
    N_("We are checking the information before we send it."),
    N_("Our Data Protection Officer is checking our reply."),
    N_("We have replied."),
    N_("Your request is complete."),
    N_("We have written to you to explain why we cannot do what you asked."),
    N_("You withdrew this request."),
)

#: sar_service.models.portal.EVIDENCE_KINDS
EVIDENCE_KINDS = (N_("Proof of identity"), N_("Other information"))

#: sar_service.cases.validation: the messages a parent can meet in the conversation
VALIDATION = (
    N_("Tell us what information is wrong."),
    N_("Tell us what it should say."),
    N_("Tell us what you want us to delete."),
    N_("Tell us which information or use you want us to restrict."),
    N_("Tell us which use of the information you object to."),
    N_("Tell us what you no longer consent to."),
    N_("Tell us what your complaint is about."),
    N_("Choose at least one thing you want us to do."),
    N_(
        "Only maintained schools must give access to the educational record. "
        "Ask for your child's information with a subject access request instead."
    ),
    N_("Enter your full name."),
    N_("Enter an email address like name@example.com."),
    N_("Enter a phone number, like 07700 900 982."),
    N_("Give us an email address, phone number or postal address."),
    N_("Tell us your relationship to the child."),
    N_("Enter the child's full name."),
    N_("Enter the child's date of birth, like 2014-03-27."),
    N_("The date of birth must be in the past."),
    N_("Check the date of birth: it is more than 30 years ago."),
)

#: sar_service.uploads.UploadError messages are shown to parents too
UPLOADS = (
    N_("The selected file is empty."),
    N_("The selected file must be smaller than 10MB."),
    N_("The selected file must be a PDF, JPEG, PNG, HEIC photo or Word (.docx) file."),
    N_("You have uploaded a lot of files. Try again in an hour."),
)
