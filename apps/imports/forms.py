"""The upload form: only xlsx, csv and txt (Excel's Unicode text), content checked against
the extension, size limit."""

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext_lazy as _

from apps.imports.errors import ImportRefused
from apps.imports.models import ImportKind
from apps.imports.readers import check_content_matches_extension, size_message


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading an upload as soon as it passes IMPORT_MAX_UPLOAD_BYTES, so an oversized
    file is never written to disk in full; the form then reports it as too large."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > settings.IMPORT_MAX_UPLOAD_BYTES + 64 * 1024:
            self.request.import_upload_too_large = True

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        too_large = getattr(self.request, "import_upload_too_large", False)
        if too_large or self.received > settings.IMPORT_MAX_UPLOAD_BYTES:
            self.request.import_upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


class UploadForm(forms.Form):
    """An HR spreadsheet to check: the kind may be left for the portal to recognise."""

    file = forms.FileField(
        label=_("Regneark (xlsx eller csv)"),
        help_text=_("Elever, praktikperioder, fravær eller vejledere. Højst %(mb)s MB.")
        % {"mb": settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )
    kind = forms.ChoiceField(
        label=_("Filens indhold"),
        choices=[("", _("Genkend ud fra overskrifterne")), *ImportKind.choices],
        required=False,
    )

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return upload
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(size_message())
        head = upload.read(8192)
        upload.seek(0)
        try:
            check_content_matches_extension(head, upload.name)
        except ImportRefused as exc:
            raise forms.ValidationError(exc.message) from None
        return upload

    def full_clean(self):
        super().full_clean()
        if self.too_large and self.is_bound:
            self.errors.pop("file", None)
            self.add_error("file", size_message())
