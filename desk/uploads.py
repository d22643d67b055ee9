"""Scans accepted at intake (bản số hóa): PDF, JPEG or PNG of at most 10 MB, the
content checked by its first bytes, since an extension says nothing about what a
file really is. Used by the intake form and again by the service that stores them.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UPLOAD_FILES = 20
FILE_SIGNATURES: tuple[tuple[bytes, str, tuple[str, ...]], ...] = (
    (b"%PDF-", "application/pdf", ("pdf",)),
    (b"\xff\xd8\xff", "image/jpeg", ("jpg", "jpeg")),
    (b"\x89PNG\r\n\x1a\n", "image/png", ("png",)),
)
ACCEPT_ATTRIBUTE = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def sniff_content_type(upload: UploadedFile) -> str | None:
    """The MIME type the file's first bytes announce (PDF, JPEG, PNG), or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type, _extensions in FILE_SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def validate_scan(upload: UploadedFile) -> str:
    """Refuse anything but a PDF, JPEG or PNG of at most 10 MB; return its MIME type."""
    name = upload.name or ""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Tệp “%(name)s” lớn hơn 10 MB; vui lòng quét lại với độ phân giải thấp hơn."),
            code="too_big",
            params={"name": name},
        )
    content_type = sniff_content_type(upload)
    if content_type is None:
        raise ValidationError(
            _(
                "Tệp “%(name)s” không phải là PDF, JPEG hoặc PNG (đã kiểm tra nội dung tệp, "
                "không chỉ phần đuôi tên). Chỉ nhận bản quét dạng PDF, JPEG hoặc PNG."
            ),
            code="bad_type",
            params={"name": name},
        )
    allowed = next(ext for _sig, ctype, ext in FILE_SIGNATURES if ctype == content_type)
    if _extension(name) not in allowed:
        raise ValidationError(
            _(
                "Tên tệp “%(name)s” không khớp với nội dung (nội dung là %(kind)s). "
                "Vui lòng đổi tên tệp cho đúng rồi tải lên lại."
            ),
            code="bad_extension",
            params={"name": name, "kind": content_type.split("/")[-1].upper()},
        )
    return content_type
