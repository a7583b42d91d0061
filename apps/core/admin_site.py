"""The Django admin, scoped to municipalities.

Rule: an administrator of a municipality (role admin, a municipality, is_staff) administers
that municipality only — every list, form, choice list, filter, search, autocomplete, raw-id
lookup, history page, delete and bulk action. Only the platform superuser (is_superuser and
no municipality: the operator's account) sees every municipality. Permissions in the admin
follow the portal role, not Django's permission tables, so a municipality account marked
is_superuser still reaches only its own municipality.

Every registered ModelAdmin derives from `MunicipalityScopedAdmin` and declares how its
model reaches a municipality:

- `municipality_path = "department__municipality"` (ORM path; `"pk"` for Municipality);
- or overrides `municipality_q()` / `municipality_id_of()` (rows linked by username);
- or `shared_catalogue = True`: shared by every municipality, read-only to their admins;
- or `platform_only = True`: cannot be scoped, hidden from municipality admins.

`PortalAdminSite.register` wraps an admin that declares nothing (a third-party app's) as
platform-only, and the system check `core.E101` fails on it, so a new admin cannot be
forgotten. Saves and deletes in the admin are written to the audit trail (who, when,
old → new); opening a person's page is recorded as a look-up like in the portal.

This module is imported while the app registry is populated (settings point to
`PortalAdminConfig`), so it imports models only inside functions.
"""

from __future__ import annotations

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.utils import NotRelationField, get_fields_from_path, unquote
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _

# Field values never copied into the audit trail.
AUDIT_HIDDEN_FIELDS = frozenset({"password", "key", "key_hash", "token_hash"})


def admin_scope(request):
    """The request's scope when it may use the admin at all (platform or a municipality's
    admin); None otherwise."""
    user = getattr(request, "user", None)
    scope = getattr(request, "scope", None)
    if user is None or not user.is_active or not user.is_staff or scope is None:
        return None
    if scope.all_municipalities:
        return scope
    if not scope.can_administer or not scope.municipality_id:
        return None
    return scope


class _ScopedOptions:
    """What `MunicipalityScopedAdmin` and the scoped inlines share: the queryset filter,
    role-based permissions and choice lists limited to what the admin may see."""

    municipality_path: str | None = None
    shared_catalogue = False
    platform_only = False

    # -- where an object belongs -------------------------------------------------------
    def municipality_q(self, municipality_id: int) -> Q:
        """Rows of `municipality_id` (override for models linked some other way)."""
        if self.municipality_path == "pk":
            return Q(pk=municipality_id)
        if not self.municipality_path:
            return Q(pk__in=[])
        if self.municipality_path.endswith("_id"):  # a plain id column, no relation
            return Q(**{self.municipality_path: municipality_id})
        return Q(**{f"{self.municipality_path}__pk": municipality_id})

    def municipality_id_of(self, obj) -> int | None:
        """The municipality `obj` belongs to, following `municipality_path` attributes."""
        if self.municipality_path == "pk":
            return obj.pk
        if not self.municipality_path:
            return None
        *hops, last = self.municipality_path.split("__")
        for hop in hops:
            obj = getattr(obj, hop, None)
            if obj is None:
                return None
        return getattr(obj, last if last.endswith("_id") else f"{last}_id", None)

    @classmethod
    def declares_scoping(cls) -> bool:
        overrides = (
            cls.municipality_q is not _ScopedOptions.municipality_q
            and cls.municipality_id_of is not _ScopedOptions.municipality_id_of
        )
        return bool(cls.municipality_path or cls.shared_catalogue or cls.platform_only) or (
            overrides
        )

    def scope_queryset(self, request, queryset):
        scope = admin_scope(request)
        if scope is None:
            return queryset.none()
        if scope.all_municipalities or self.shared_catalogue:
            return queryset
        if self.platform_only:
            return queryset.none()
        return queryset.filter(self.municipality_q(scope.municipality_id))

    # -- permissions ---------------------------------------------------------------------
    def _allowed(self, request, action: str, obj=None) -> bool:
        scope = admin_scope(request)
        if scope is None:
            return False
        if scope.all_municipalities:
            return True
        if self.platform_only:
            return False
        if self.shared_catalogue and action != "view":
            return False
        if self.shared_catalogue or self._is_inline:
            # Inlines get their parent as `obj`, already fetched through the parent's scope.
            return True
        if obj is not None and obj.pk is not None:
            return self.municipality_id_of(obj) == scope.municipality_id
        return True

    _is_inline = False

    def has_module_permission(self, request):
        return self._allowed(request, "view")

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, "view", obj)

    def has_add_permission(self, request, *args, **kwargs):
        return self._allowed(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, "delete", obj)

    # -- choice lists --------------------------------------------------------------------
    def _restrict_choices(self, db_field, request, formfield):
        """Limit a relation's choices to what the related model's admin lists for this user
        (a model the admin does not show offers no choices to a municipality's admin)."""
        if formfield is None or not hasattr(formfield, "queryset"):
            return formfield
        scope = admin_scope(request)
        if scope is not None and scope.all_municipalities:
            return formfield
        related_admin = self.admin_site._registry.get(db_field.remote_field.model)
        if related_admin is None:
            return formfield
        visible = related_admin.get_queryset(request).values("pk")
        formfield.queryset = formfield.queryset.filter(pk__in=visible)
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._restrict_choices(db_field, request, formfield)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._restrict_choices(db_field, request, formfield)


def _field_value(obj, name: str):
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return getattr(obj, name, None)
    if field.many_to_many:
        if obj.pk is None:
            return []
        return sorted(str(o) for o in getattr(obj, name).all())
    return getattr(obj, name, None)


def _form_value(form, name: str):
    value = form.cleaned_data.get(name)
    if isinstance(value, (models.QuerySet, list, tuple)):
        return sorted(str(o) for o in value)
    return value


def _changes(model, before, form) -> dict:
    """`{field: [old, new]}` of the model fields the form changed (form-only fields such as
    a new user's password are never copied)."""
    changes = {}
    for name in form.changed_data:
        if name in AUDIT_HIDDEN_FIELDS or name not in form.cleaned_data:
            continue
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        old = _field_value(before, name) if before is not None else None
        new = _form_value(form, name)
        if old != new:
            changes[name] = [old, new]
    return changes


class MunicipalityScopedAdmin(_ScopedOptions, admin.ModelAdmin):
    """Base of every ModelAdmin of the portal (see the module doc for the rule).

    `audit_lookups = True` records opening an object's page (and searching its list) as a
    look-up event, as the portal's person pages do.
    """

    audit_lookups = False

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # The portal's rule: an object outside the user's scope is a 404.
        raise Http404

    def get_list_filter(self, request):
        """Relation filters offer only values present in the admin's own rows."""
        filters = list(super().get_list_filter(request))
        scope = admin_scope(request)
        if scope is None or scope.all_municipalities:
            return filters
        scoped = []
        for item in filters:
            if isinstance(item, str):
                try:
                    field = get_fields_from_path(self.model, item)[-1]
                except (FieldDoesNotExist, NotRelationField):
                    field = None
                if field is not None and field.is_relation:
                    item = (item, RelatedOnlyFieldListFilter)
            scoped.append(item)
        return scoped

    def audit_municipality_id(self, obj) -> int | None:
        return self.municipality_id_of(obj)

    def _audit(self, request, obj, verb: str, changes=None):
        from apps.core.audit import audit_record

        meta = obj._meta
        audit_record(
            actor=request.user,
            action=f"{meta.app_label}.{meta.model_name}.{verb}",
            obj=obj,
            changes=changes or {},
            context={"via": "admin"},
            municipality_id=self.audit_municipality_id(obj),
        )

    # -- writes are audited --------------------------------------------------------------
    def save_model(self, request, obj, form, change):
        """Every hand edit is recorded: who, when, old → new; editable models' version
        moves on so a portal form opened before the edit is refused as stale."""
        with transaction.atomic():
            before = self.model._base_manager.get(pk=obj.pk) if change else None
            changes = _changes(self.model, before, form)
            if change and before is not None and hasattr(before, "version"):
                obj.version = before.version + 1
            super().save_model(request, obj, form, change)
            self._audit(request, obj, "updated" if change else "created", changes)

    def save_formset(self, request, form, formset, change):
        """Inline rows are audited like their own pages would be."""
        instances = formset.save(commit=False)
        by_form = {id(f.instance): f for f in formset.forms}
        model = formset.model
        old = model._base_manager.in_bulk([o.pk for o in instances if o.pk is not None])
        for obj in formset.deleted_objects:
            self._audit(request, obj, "deleted")
            obj.delete()
        for obj in instances:
            sub = by_form.get(id(obj))
            before = old.get(obj.pk)
            changes = _changes(model, before, sub) if sub is not None else {}
            obj.save()
            self._audit(request, obj, "updated" if before is not None else "created", changes)
        formset.save_m2m()

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._audit(request, obj, "deleted")
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        from apps.core.audit import audit_entry
        from apps.core.models import AuditEntry

        with transaction.atomic():
            objs = list(queryset)
            AuditEntry.objects.bulk_create(
                [
                    audit_entry(
                        actor=request.user,
                        action=f"{o._meta.app_label}.{o._meta.model_name}.deleted",
                        obj=o,
                        context={"via": "admin"},
                        municipality_id=self.audit_municipality_id(o),
                    )
                    for o in objs
                ]
            )
            super().delete_queryset(request, queryset)

    # -- look-ups are audited ------------------------------------------------------------
    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if self.audit_lookups and obj is not None and request.method == "GET":
            from apps.core.audit import audit_record

            audit_record(
                actor=request.user,
                action="view",
                obj=obj,
                context={"page": "admin"},
                municipality_id=self.audit_municipality_id(obj),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if self.audit_lookups and request.method == "GET" and hasattr(response, "context_data"):
            from apps.core.audit import audit_record

            cl = (response.context_data or {}).get("cl")
            if cl is not None:
                scope = admin_scope(request)
                audit_record(
                    actor=request.user,
                    action="search",
                    context={
                        "list": self.model._meta.label_lower,
                        "page": "admin",
                        "criteria": {k: v for k, v in request.GET.items() if k != "p"},
                        "results": cl.result_count,
                    },
                    municipality_id=scope.municipality_id if scope else None,
                )
        return response


class _ScopedInline(_ScopedOptions):
    _is_inline = True

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))


class ScopedTabularInline(_ScopedInline, admin.TabularInline):
    """A tabular inline with the same scoping and permissions as its model's admin."""


class ScopedStackedInline(_ScopedInline, admin.StackedInline):
    """A stacked inline with the same scoping and permissions as its model's admin."""


class _UndeclaredScoping:
    """Wraps an admin registered without declaring its scoping: platform superuser only.
    Its own restrictions still apply on top (through super())."""

    platform_only = True
    undeclared = True

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        scope = admin_scope(request)
        return qs if scope is not None and scope.all_municipalities else qs.none()

    def _platform(self, request) -> bool:
        scope = admin_scope(request)
        return scope is not None and scope.all_municipalities

    def has_module_permission(self, request):
        return self._platform(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._platform(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args, **kwargs):
        return self._platform(request) and super().has_add_permission(request, *args, **kwargs)

    def has_change_permission(self, request, obj=None):
        return self._platform(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._platform(request) and super().has_delete_permission(request, obj)


def is_scoped(admin_class) -> bool:
    """Declared scoping: a `MunicipalityScopedAdmin` that says how it reaches a
    municipality, with every inline scoped too."""
    if not issubclass(admin_class, MunicipalityScopedAdmin) or getattr(
        admin_class, "undeclared", False
    ):
        return False
    if not admin_class.declares_scoping():
        return False
    return all(
        issubclass(inline, _ScopedInline) and inline.declares_scoping()
        for inline in admin_class.inlines
    )


class PortalAdminSite(admin.AdminSite):
    """The portal's admin site: only the platform superuser and municipalities' admins get
    in, and a ModelAdmin registered without scoping is shown to the platform only."""

    site_header = _("Strategiportalen – administration")
    site_title = _("Strategiportalen")
    index_title = _("Administration")

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not is_scoped(admin_class):
            admin_class = type(
                f"Undeclared{admin_class.__name__}", (_UndeclaredScoping, admin_class), {}
            )
        return super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request):
        return admin_scope(request) is not None

    def get_urls(self):
        urls = super().get_urls()
        for index, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                urls[index] = path(
                    "r/<path:content_type_id>/<path:object_id>/",
                    self._wrap(self.scoped_view_on_site),
                    name="view_on_site",
                )
        return urls

    def _wrap(self, view):
        def wrapper(*args, **kwargs):
            return self.admin_view(view)(*args, **kwargs)

        wrapper.admin_site = self
        return update_wrapper(wrapper, view)

    def scoped_view_on_site(self, request, content_type_id, object_id):
        """'Vis på websted' only for objects the admin may see (404 otherwise)."""
        from django.contrib.contenttypes import views as contenttype_views
        from django.contrib.contenttypes.models import ContentType

        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ValueError, ContentType.DoesNotExist) as exc:
            raise Http404 from exc
        model_admin = self._registry.get(model)
        if model_admin is None:
            raise Http404
        try:
            visible = model_admin.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, TypeError) as exc:
            raise Http404 from exc
        if not visible:
            raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)


def check_admin_scoping(app_configs=None, **kwargs):
    """core.E101: every registered ModelAdmin declares how it is scoped to a municipality."""
    errors = []
    for model, model_admin in admin.site._registry.items():
        if not is_scoped(type(model_admin)):
            errors.append(
                checks.Error(
                    f"The admin of {model._meta.label} does not declare its municipality scoping.",
                    hint=(
                        "Derive it from apps.core.admin_site.MunicipalityScopedAdmin and set "
                        "municipality_path, shared_catalogue or platform_only (inlines: "
                        "ScopedTabularInline)."
                    ),
                    obj=type(model_admin),
                    id="core.E101",
                )
            )
    return errors


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the portal's site and the scoping check."""

    default_site = "apps.core.admin_site.PortalAdminSite"

    def ready(self):
        super().ready()
        checks.register(check_admin_scoping, checks.Tags.admin)
