"""The domain core: regulations as data and pure functions that apply them to one person's case.

Imports only the standard library. Nothing here reads files, the clock or the network;
"today" is always an argument. Every ``Decision`` carries its citations, and says
``covered=False`` where the sources do not decide a case.
"""

from knowledge.calculations import CALCULATIONS, Calculation
from knowledge.core import LANGUAGES, Citation, Decision, Step, Text, format_date
from knowledge.deadlines import (
    conference_contact_deadline,
    extension_application_deadline,
    medical_examination_deadline,
    new_student_payment_deadline,
    registration_deadline,
    residence_permit_application_deadline,
    stay_permit_request_deadline,
    transfer_deadline,
    zero_entry_travel_deadline,
)
from knowledge.dependents import dependent_permit
from knowledge.durations import StayLength
from knowledge.faq import FAQ_TOPICS, TOPICS, faq_answer, topic
from knowledge.institutions import (
    INSTITUTION_CODES,
    OTHER_UNIVERSITY,
    Institution,
    Provision,
    all_provisions,
    find_institution,
    institution,
    recognise_university,
)
from knowledge.passport import lost_passport, lost_permit
from knowledge.penalties import (
    illegal_employment_penalty,
    overstay_days,
    overstay_fine,
    overstay_penalty,
    overstay_penalty_since,
)
from knowledge.permits import PermitFacts, missing_permit_facts, residence_permit_validity
from knowledge.staff import visiting_scholar_stay, who_handles
from knowledge.study import work_study_check
from knowledge.topics import FaqEntry, Topic
from knowledge.visas import (
    automatic_withdrawal,
    permit_after_studies,
    study_visa_type,
    visa_for_stay,
)

__all__ = [
    "CALCULATIONS",
    "FAQ_TOPICS",
    "INSTITUTION_CODES",
    "LANGUAGES",
    "OTHER_UNIVERSITY",
    "TOPICS",
    "Calculation",
    "Citation",
    "Decision",
    "FaqEntry",
    "Institution",
    "PermitFacts",
    "Provision",
    "StayLength",
    "Step",
    "Text",
    "Topic",
    "all_provisions",
    "automatic_withdrawal",
    "conference_contact_deadline",
    "dependent_permit",
    "extension_application_deadline",
    "faq_answer",
    "find_institution",
    "format_date",
    "illegal_employment_penalty",
    "institution",
    "lost_passport",
    "lost_permit",
    "medical_examination_deadline",
    "missing_permit_facts",
    "new_student_payment_deadline",
    "overstay_days",
    "overstay_fine",
    "overstay_penalty",
    "overstay_penalty_since",
    "permit_after_studies",
    "recognise_university",
    "registration_deadline",
    "residence_permit_application_deadline",
    "residence_permit_validity",
    "stay_permit_request_deadline",
    "study_visa_type",
    "topic",
    "transfer_deadline",
    "visa_for_stay",
    "visiting_scholar_stay",
    "who_handles",
    "work_study_check",
    "zero_entry_travel_deadline",
]
