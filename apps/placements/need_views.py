"""The trainee's "Praktikbehov og ønsker" page: the programme's placement sequence with the
steps done and next, needs added by hand (add, remove) and workplace wishes (add, remove).
Coordinators and HR (`can_plan_placements`); the trainee and every row are looked up in
scope, so another municipality's trainee, need or wish is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.decorators import scope_required
from apps.core.exports import mark_invalid_fields
from apps.core.forms import apply_errors
from apps.placements.models import ManualNeed, PlacementWish
from apps.placements.need_forms import ManualNeedForm, WishForm
from apps.placements.need_services import (
    manual_need_add,
    manual_need_remove,
    wish_add,
    wish_remove,
)
from apps.placements.selectors import trainee_sequence
from apps.trainees.selectors import trainee_get


@scope_required(allow="can_plan_placements")
def trainee_needs(request, pk: int):
    scope = request.scope
    trainee = trainee_get(scope=scope, pk=pk)
    need_form = ManualNeedForm(prefix="need")
    wish_form = WishForm(prefix="wish", scope=scope)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "need":
            need_form = ManualNeedForm(request.POST, prefix="need")
            if need_form.is_valid():
                try:
                    manual_need_add(trainee=trainee, actor=request.user, **need_form.cleaned_data)
                except ValidationError as error:
                    apply_errors(need_form, error)
                else:
                    messages.success(request, _("Behovet er tilføjet."))
                    return redirect("placement_needs:trainee_needs", pk=trainee.pk)
        elif action == "wish":
            wish_form = WishForm(request.POST, prefix="wish", scope=scope)
            if wish_form.is_valid():
                try:
                    wish_add(trainee=trainee, actor=request.user, **wish_form.cleaned_data)
                except ValidationError as error:
                    apply_errors(wish_form, error)
                else:
                    messages.success(request, _("Ønsket er tilføjet."))
                    return redirect("placement_needs:trainee_needs", pk=trainee.pk)
    mark_invalid_fields(need_form)
    mark_invalid_fields(wish_form)
    context = {
        "trainee": trainee,
        "sequence": trainee_sequence(trainee),
        "needs": ManualNeed.objects.in_scope(scope)
        .filter(trainee=trainee)
        .select_related("created_by"),
        "wishes": PlacementWish.objects.in_scope(scope)
        .filter(trainee=trainee)
        .select_related("workplace"),
        "need_form": need_form,
        "wish_form": wish_form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "placements/trainee_needs.html", context, status=status)


@require_POST
@scope_required(allow="can_plan_placements")
def need_remove(request, pk: int, need_pk: int):
    trainee = trainee_get(scope=request.scope, pk=pk)
    need = get_object_or_404(
        ManualNeed.objects.in_scope(request.scope), pk=need_pk, trainee=trainee
    )
    manual_need_remove(need=need, actor=request.user)
    messages.success(request, _("Behovet er fjernet."))
    return redirect("placement_needs:trainee_needs", pk=trainee.pk)


@require_POST
@scope_required(allow="can_plan_placements")
def wish_remove_view(request, pk: int, wish_pk: int):
    trainee = trainee_get(scope=request.scope, pk=pk)
    wish = get_object_or_404(
        PlacementWish.objects.in_scope(request.scope), pk=wish_pk, trainee=trainee
    )
    wish_remove(wish=wish, actor=request.user)
    messages.success(request, _("Ønsket er fjernet."))
    return redirect("placement_needs:trainee_needs", pk=trainee.pk)
