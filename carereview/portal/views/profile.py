"""A member of staff's own contact details and photo, as children and families see them (moved
from core.views, ADR 0013: its form is the portal's)."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render

from carereview.core import audit
from carereview.core.images import smaller_copy
from carereview.portal.forms import ProfileForm


def profile(request):
    """A member of staff's contact details and photo, as children and families see them."""
    user = request.user
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "phone": user.phone,
            "mobile": user.mobile,
            "email": user.email,
            "contact_by": user.contact_by,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            user.phone, user.mobile, user.email = data["phone"], data["mobile"], data["email"]
            user.contact_by = data["contact_by"]
            if data["remove_photo"] and user.photo:
                user.photo.delete(save=False)
                user.photo = ""
            elif data["photo"]:
                if user.photo:
                    user.photo.delete(save=False)
                content, extension = smaller_copy(data["photo"])
                user.photo.save(f"{user.pk}.{extension}", content, save=False)
            user.save(update_fields=["phone", "mobile", "email", "photo", "contact_by"])
            audit.record_change(user, "profile.update", user, {"photo": bool(user.photo)})
        messages.success(request, "Your details are saved.")
        return redirect("core:profile")
    return render(request, "core/profile.html", {"form": form})
