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
EVIDENCE_KINDS = (
    N_("Proof of identity"),
    N_("Proof you can act for the child"),
    N_("Other information"),
)

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
        "Only maintained schools and non-maintained special schools must give access to the "
        "educational record. Ask for your child's information with a subject access request "
        "instead."
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
    N_("The selected file unpacks to far more than its size, so it cannot be opened safely."),
    N_("You have uploaded a lot of files. Try again in an hour."),
)


#: workflows.request_types: the words parents see for each right (intake buttons, hints,
#: limits, detail pages), shown through ``_l(...)`` in intake.rights and intake.flow.
REQUEST_TYPES = (
    N_("See the information the school holds"),
    N_("You get a copy of the information about your child, and why the school has it."),
    N_("See the educational record"),
    N_(
        "Reports, marks and other school records about your child's learning. We reply within 15 school days."
    ),
    N_("Correct something that is wrong"),
    N_("For example a wrong date of birth, address or spelling of a name."),
    N_("Delete information"),
    N_("Ask the school to delete information it no longer needs."),
    N_("Stop the school using information for now"),
    N_("For example while we check whether something is right."),
    N_("Object to how information is used"),
    N_("For example using an online service such as Google Classroom, or sending marketing."),
    N_("Take back consent you gave"),
    N_("For example for photos on the website or on social media."),
    N_("Make a complaint"),
    N_("Tell us if you are unhappy with how the school has used information."),
    N_(
        "The school must keep some records by law, such as the admission register, attendance and safeguarding records. We may not be able to delete those. We will still look at your request and tell you what we decide and why."
    ),
    N_(
        "Some things the school must do as part of running the school, such as keeping attendance records. We may not be able to stop those. We will still look at your request and explain our decision."
    ),
    N_("We can only restrict information in some situations. We will tell you what we decide."),
    N_("Which information do you want? (optional)"),
    N_("Leave this empty to ask for everything."),
    N_("Which dates? (optional)"),
    N_("For example, since September 2024"),
    N_("What information do you want to see?"),
    N_("What is wrong?"),
    N_("What should it say?"),
    N_("What needs correcting?"),
    N_("What do you want us to delete?"),
    N_("Why? (optional)"),
    N_("What do you want us to delete?"),
    N_("What should we stop using for now?"),
    N_("Why? (optional)"),
    N_("What should we stop using for now?"),
    N_("Which use do you object to?"),
    N_("For example: photos, marketing, or an online service like Google Classroom."),
    N_("Why? (optional)"),
    N_("Which use of the information do you object to?"),
    N_("What do you no longer agree to?"),
    N_("For example: photos on the school website."),
    N_("What consent do you want to take back?"),
    N_("What is your complaint about?"),
    N_("What is your complaint about?"),
)
