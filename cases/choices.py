"""Controlled vocabularies shared by the models, the admin, the API and the report data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CustodyState(models.TextChoices):
    AT_LIBERTY = "at_liberty", _("At liberty")
    CONDITIONAL_RELEASE = "conditional_release", _("Conditionally released")
    DETAINED = "detained", _("Detained (pre-trial)")
    HOUSE_ARREST = "house_arrest", _("House arrest")
    PSYCHIATRIC_DETENTION = "psychiatric_detention", _("Forced psychiatric detention")
    IMPRISONED = "imprisoned", _("Imprisoned")
    UNKNOWN = "unknown", _("Unknown")


# UN practice counts house arrest and forced psychiatric detention as deprivation of liberty.
IN_CUSTODY_STATES = frozenset(
    {
        CustodyState.DETAINED,
        CustodyState.HOUSE_ARREST,
        CustodyState.PSYCHIATRIC_DETENTION,
        CustodyState.IMPRISONED,
    }
)


class CaseStage(models.TextChoices):
    INVESTIGATION = "investigation", _("Under investigation")
    CHARGED = "charged", _("Charged")
    ON_TRIAL = "on_trial", _("On trial")
    CONVICTED = "convicted", _("Convicted")
    UNDER_APPEAL = "under_appeal", _("Under appeal")
    DECIDED_AGAINST = "decided_against", _("Decided against the subject")
    DECIDED_FOR = "decided_for", _("Decided in the subject's favour")
    CLOSED = "closed", _("Closed or dropped")
    EXEMPTED = "exempted", _("Exempted from liability")
    ACQUITTED = "acquitted", _("Acquitted")
    PARDONED = "pardoned", _("Pardoned")


class EventType(models.TextChoices):
    INVESTIGATION_OPENED = "investigation_opened", _("Investigation opened")
    CHARGED = "charged", _("Charged")
    DETAINED = "detained", _("Detained")
    HOUSE_ARREST = "house_arrest", _("Placed under house arrest")
    PSYCHIATRIC_DETENTION = "psychiatric_detention", _("Forced psychiatric detention")
    EXTRADITED = "extradited", _("Extradited")
    TRIAL = "trial", _("Trial")
    CONVICTED = "convicted", _("Convicted or sentenced")
    SENTENCE_CHANGED = "sentence_changed", _("Sentence changed")
    TRANSFERRED = "transferred", _("Transferred")
    PAROLE_DENIED = "parole_denied", _("Parole denied")
    RELEASED_ON_PAROLE = "released_on_parole", _("Released on parole")
    PARDONED = "pardoned", _("Pardoned")
    RELEASED = "released", _("Released")
    CASE_CLOSED = "case_closed", _("Case closed or dropped")
    EXEMPTED = "exempted", _("Exempted from liability")
    ACQUITTED = "acquitted", _("Acquitted")
    COMPENSATION_AWARDED = "compensation_awarded", _("Compensation awarded")
    BANNED = "banned", _("Banned")
    FINED = "fined", _("Fined")
    TRAVEL_PREVENTED = "travel_prevented", _("Travel prevented")
    ATTACKED = "attacked", _("Attacked")
    ASYLUM_DENIED = "asylum_denied", _("Asylum denied")
    REGISTRATION_REFUSED = "registration_refused", _("Registration refused")
    ALLEGATION = "allegation", _("Ill-treatment alleged")
    STATEMENT = "statement", _("Concern expressed")
    STATUS_REPORTED = "status_reported", _("Status reported")
    CONTEXT = "context", _("Context: law, policy or international step")
    OTHER = "other", _("Other")


# Events that begin the custody state they set. Any other event that sets one (a status report,
# a parole denial, a sentence change, an extradition of someone already held) reports a state
# that began earlier: the state is then only "on record since" it.
STATE_BEGINNING_TYPES = frozenset(
    {
        EventType.DETAINED,
        EventType.HOUSE_ARREST,
        EventType.PSYCHIATRIC_DETENTION,
        EventType.CONVICTED,
        EventType.RELEASED_ON_PAROLE,
        EventType.PARDONED,
        EventType.RELEASED,
        EventType.CASE_CLOSED,
        EventType.EXEMPTED,
        EventType.ACQUITTED,
    }
)
# A transfer begins the state it sets only when it changes a recorded state (into house arrest);
# a transfer between prisons reports an imprisonment that began before.
STATE_CHANGING_TYPES = frozenset({EventType.TRANSFERRED})


class SentenceServed(models.TextChoices):
    """The part of a sentence a source says was served by an event's date, as parole law counts it
    ("eligible after serving one third"). The code is the fraction itself."""

    ONE_QUARTER = "1/4", _("one quarter")
    ONE_THIRD = "1/3", _("one third")
    ONE_HALF = "1/2", _("one half")
    TWO_THIRDS = "2/3", _("two thirds")
    THREE_QUARTERS = "3/4", _("three quarters")

    @property
    def fraction(self) -> tuple[int, int]:
        numerator, denominator = self.value.split("/")
        return int(numerator), int(denominator)


class CaseKind(models.TextChoices):
    CRIMINAL = "criminal", _("Criminal")
    ADMINISTRATIVE = "administrative", _("Administrative")
    CIVIL = "civil", _("Civil")
    EXTRADITION = "extradition", _("Extradition")
    ASYLUM = "asylum", _("Asylum")
    REGISTRATION = "registration", _("Registration")
    OTHER = "other", _("Other")


class Identity(models.TextChoices):
    NAMED = "named", _("Named person")
    UNNAMED = "unnamed", _("Unnamed person")
    GROUP = "group", _("Group of people")


class Role(models.TextChoices):
    ACTIVIST = "activist", _("Activist")
    HUMAN_RIGHTS_DEFENDER = "human_rights_defender", _("Human rights defender")
    JOURNALIST = "journalist", _("Journalist")
    LAWYER = "lawyer", _("Lawyer")
    TRADE_UNIONIST = "trade_unionist", _("Trade unionist")
    WRITER = "writer", _("Writer")
    RELIGIOUS_BELIEVER = "religious_believer", _("Religious believer")
    GOVERNMENT_CRITIC = "government_critic", _("Government critic")
    BUSINESSPERSON = "businessperson", _("Businessperson")
    TEACHER = "teacher", _("Teacher")
    PROTESTER = "protester", _("Protester")
    OTHER = "other", _("Other")


class OrganizationKind(models.TextChoices):
    MEDIA = "media", _("Media outlet")
    POLITICAL_MOVEMENT = "political_movement", _("Political movement")
    TRADE_UNION = "trade_union", _("Trade union")
    NGO = "ngo", _("Non-governmental organisation")
    RELIGIOUS = "religious", _("Religious community")
    OTHER = "other", _("Other")


class VariantKind(models.TextChoices):
    TRANSLITERATION = "transliteration", _("Other transliteration")
    CYRILLIC = "cyrillic", _("Cyrillic spelling")
    ACRONYM = "acronym", _("Acronym")
    FORMER_NAME = "former_name", _("Former name")
    ALIAS = "alias", _("Alias")


class NameLanguage(models.TextChoices):
    """The language a spelling belongs to, as a BCP 47 code: what `lang` a page marks it with."""

    RUSSIAN = "ru", _("Russian")
    KAZAKH = "kk", _("Kazakh")
    ENGLISH = "en", _("English")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    EARLY = "early", _("Early in the year")
    MID = "mid", _("Mid-year")
    LATE = "late", _("Late in the year")
    FIRST_HALF = "first_half", _("First half of the year")
    SECOND_HALF = "second_half", _("Second half of the year")
    YEAR = "year", _("Year")
    RANGE = "range", _("Range")
