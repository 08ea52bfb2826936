"""The consultation forms offered before each review (seeds; CPPCR reg 35), by audience."""

from django.db import migrations

FORMS = {
    "child_under_8": (
        "About me and my review",
        "Someone can help you fill this in. You can draw a picture instead of writing.",
        [
            ("What makes me happy?", "Draw or write"),
            ("What makes me sad or worried?", "Draw or write"),
            ("Who is important to me?", ""),
            ("What do I like doing?", ""),
            ("What would I like to change?", ""),
        ],
    ),
    "child_8_11": (
        "My review: what I think",
        "Your IRO reads this before your review. You can say as much or as little as you like.",
        [
            ("What is going well for you?", ""),
            ("What is not going so well?", ""),
            ("How do you feel about where you live?", ""),
            ("How do you feel about school?", ""),
            ("Who would you like to see more, or less?", ""),
            ("Who do you want to come to your review?", ""),
            ("What do you want to talk about at your review?", ""),
            ("Is there anything you want your IRO to know?", ""),
        ],
    ),
    "child_12_plus": (
        "Your review: your views",
        "Your IRO reads this before your review and makes sure your views are heard.",
        [
            ("What has gone well since your last review?", ""),
            ("What has not gone well, and what would help?", ""),
            ("How do you feel about where you live and the people you live with?", ""),
            ("How are things at school, college or work?", ""),
            ("How are you keeping healthy?", ""),
            ("Who would you like to see more or less of?", "Family, friends, anyone"),
            ("What do you want to happen next in your plan?", ""),
            ("Who should come to your review, and where and when should it be?", ""),
            ("Would you like to chair your review, or chair it with your IRO?", ""),
            ("Is there anything you want to say that you would not say in the meeting?", ""),
        ],
    ),
    "parent": (
        "Your views before your child's review",
        "The IRO reads this before the review. It helps them understand what you think.",
        [
            ("How do you think your child is getting on?", ""),
            ("What is going well with the plan for your child?", ""),
            ("What are you worried about?", ""),
            ("How is family time (contact) going?", ""),
            ("What would you like the review to decide?", ""),
            ("Is there anything you want the IRO to know?", ""),
        ],
    ),
    "carer": (
        "Carer's views before the review",
        "The IRO reads this before the review.",
        [
            ("How is the child getting on at home?", ""),
            ("How are they getting on at school and with their health?", ""),
            ("How is family time (contact) going?", ""),
            ("What support do you or the child need?", ""),
            ("What would you like the review to consider?", ""),
        ],
    ),
}


def seed(apps, schema_editor):
    Form = apps.get_model("reviews", "ConsultationForm")
    Question = apps.get_model("reviews", "ConsultationQuestion")
    for audience, (title, introduction, questions) in FORMS.items():
        form, _ = Form.objects.get_or_create(
            audience=audience, defaults={"title": title, "introduction": introduction}
        )
        for position, (text, hint) in enumerate(questions, start=1):
            Question.objects.get_or_create(
                form=form, position=position, defaults={"text": text, "hint": hint}
            )


def unseed(apps, schema_editor):
    apps.get_model("reviews", "ConsultationForm").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_review_process")]
    operations = [migrations.RunPython(seed, unseed)]
