"""Every word the self-check shows, in plain English (Flesch reading ease 60 or more, grade 8 or less, measured with
the leaflet's in apps/resources/readability.py) and translatable. The get-help words are the leaflet's own, from the
same sources (apps/resources/content.py, section "When to get help")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TITLE = _("Check your back pain and bones")
INTRO = _(
    "Answer a few questions about your back and your bones. It takes about two minutes. We do not ask your name "
    "and we do not keep your answers. At the end you will see what to do next."
)
NOT_ADVICE = _(
    "This check does not tell you if you have a broken bone. Only a health worker can do that. If you feel very "
    "unwell, do not wait: get help now."
)

YES, NO, NOT_SURE = "yes", "no", "not_sure"
YES_NO = ((YES, _("Yes")), (NO, _("No")), (NOT_SURE, _("Not sure")))

QUESTIONS = {
    "age_band": (
        _("How old are you?"),
        "",
        (("under_50", _("Under 50")), ("50_64", _("50 to 64")), ("65_74", _("65 to 74")), ("75_plus", _("75 or over"))),
    ),
    "sex": (
        _("What sex were you registered at birth?"),
        _("We ask because bones thin faster in women after the menopause."),
        (("female", _("Female")), ("male", _("Male")), ("not_say", _("I would rather not say"))),
    ),
    "back_pain": (_("Do you have back pain that is new in the last few months?"), "", YES_NO),
    "pain_start": (
        _("If you have back pain, how did it start?"),
        "",
        (
            ("sudden", _("Suddenly, for example after lifting, bending, a cough or a small fall")),
            ("gradual", _("Slowly, over weeks")),
            (NOT_SURE, _("Not sure")),
        ),
    ),
    "height_loss": (_("Have you got shorter by about 4 cm (1.5 inches) or more?"), "", YES_NO),
    "curve": (_("Has your upper back become more bent or curved?"), "", YES_NO),
    "steroids": (_("Have you taken steroid tablets, like prednisolone, for 3 months or more?"), "", YES_NO),
    "broken_bone": (
        _("Since the age of 50, have you broken a bone after a small fall or bump?"),
        "",
        YES_NO,
    ),
}

EMERGENCY = {
    "numb": _("numbness or pins and needles around your bottom or genitals"),
    "peeing": _("problems peeing, or you cannot control when you pee"),
    "bowels": _("you cannot control your bowels"),
    "legs": _("weakness in your legs that is getting worse"),
    "injury": _("the pain started after a serious injury, like a car crash or a bad fall"),
}
SAME_DAY = {
    "fever": _("a high temperature"),
    "cancer": _("you have had cancer and the back pain is new"),
}
SOON = {
    "weight_loss": _("you are losing weight without trying"),
    "night_pain": _("pain at night that does not ease when you move"),
}
FLAGS_QUESTION = _("Do you have back pain and any of these? Tick all that apply.")

# The three outcomes.
NOW, GP, NOTHING = "now", "gp", "nothing"
NOW_TITLE = _("Get help now")
NOW_TEXT = _("Go to A&E or call 111 straight away. These signs can mean a nerve in your back is being squeezed.")
NOW_INJURY = _("Go to A&E, because the pain started after a serious injury.")
GP_TODAY_TITLE = _("Contact your GP today")
GP_TODAY_TEXT = _("Call your GP surgery today and tell them about your back pain. If they are closed, call 111.")
GP_TITLE = _("Book a GP appointment")
GP_TEXT = _(
    "Book an appointment with your GP. Take this page with you, or tell them the code below. It shows your "
    "answers, so you do not have to remember them."
)
NOTHING_TITLE = _("Nothing to do now")
NOTHING_TEXT = _(
    "From your answers, you do not need to see anyone now. Keep an eye out for the signs below. If your answers "
    "change, do this check again."
)
WATCH_TITLE = _("Get help if things change")
WATCH_TEXT = _(
    "Go to A&E or call 111 straight away if you have back pain and numbness around your bottom, problems peeing "
    "or pooing, or weak legs. See your GP if back pain does not get better in a few weeks."
)

# Why, in plain words (the GP outcome lists each that applies).
WHY = {
    "sudden_pain": _("Your back pain started suddenly. This can happen when a bone in the spine breaks."),
    "pain_over_50": _("You have new back pain and you are 50 or over."),
    "height_loss": _("You have got shorter. This can be a sign of a broken bone in the spine."),
    "curve": _("Your upper back has become more curved. This can be a sign of broken bones in the spine."),
    "steroids": _("You have taken steroid tablets for a long time. They can make bones weaker."),
    "broken_bone": _("You have broken a bone after a small fall. This makes another broken bone more likely."),
    "soon_flag": _("You have a sign that your GP should check soon."),
}
CODE_INTRO = _(
    "You can get a short code to give your GP. It keeps your answers for 7 days so your GP can see them. It does "
    "not hold your name or any other details about you."
)
CODE_SHOWN = _("Your code is below. Give it to your GP or the practice nurse. It works for 7 days.")


def text_blocks() -> dict[str, str]:
    """Every prose block a person reads, for the readability check (apps/resources/readability.py)."""
    blocks = {
        "intro": INTRO,
        "not-advice": NOT_ADVICE,
        "now": f"{NOW_TEXT} {NOW_INJURY}",
        "gp-today": GP_TODAY_TEXT,
        "gp": GP_TEXT,
        "nothing": NOTHING_TEXT,
        "watch": WATCH_TEXT,
        "code": f"{CODE_INTRO} {CODE_SHOWN}",
        "why": " ".join(str(w) for w in WHY.values()),
    }
    return {k: str(v) for k, v in blocks.items()}
