"""Stored files: one row per distinct content (sha256) per purpose."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .detect import CONTENT_TYPES


class Kind(models.TextChoices):
    JPEG = "jpeg", _("JPEG image JPEG图片")
    PNG = "png", _("PNG image PNG图片")
    WEBP = "webp", _("WebP image WebP图片")
    MP4 = "mp4", _("MP4 video MP4视频")
    QUICKTIME = "quicktime", _("QuickTime video QuickTime视频")
    PDF = "pdf", _("PDF document PDF文档")


class StoredFile(models.Model):
    """A checked upload.

    * ``private_name``: the original bytes, exactly as uploaded (EXIF and GPS included) — staff only.
    * ``public_name`` / ``thumbnail_name``: the metadata-free copy and its thumbnail (images: re-encoded;
      videos: container metadata blanked, only when ``UPLOADS["PUBLIC_VIDEOS"]``); empty when there is
      none. They sit under ``uploads/public/`` when ``public`` is true, else under ``uploads/private/``.
    """

    sha256 = models.CharField(_("SHA-256 哈希"), max_length=64)
    purpose = models.CharField(_("purpose 用途"), max_length=64)
    kind = models.CharField(_("detected type 检测类型"), max_length=16, choices=Kind.choices)
    size = models.PositiveBigIntegerField(_("size (bytes) 大小"))
    width = models.PositiveIntegerField(_("width 宽"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height 高"), null=True, blank=True)
    duration_seconds = models.FloatField(_("duration (s) 时长"), null=True, blank=True)
    private_name = models.CharField(_("original (private) 原件"), max_length=255)
    public_name = models.CharField(_("clean copy 去元数据副本"), max_length=255, blank=True)
    thumbnail_name = models.CharField(_("thumbnail 缩略图"), max_length=255, blank=True)
    public = models.BooleanField(_("public 公开"), default=False)
    client_name = models.CharField(_("file name given by the uploader 原文件名"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by 上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at 上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("stored file 文件")
        verbose_name_plural = _("stored files 文件")
        constraints = [models.UniqueConstraint(fields=["purpose", "sha256"], name="uploads_purpose_sha256")]
        indexes = [models.Index(fields=["created_at"], name="uploads_created_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sha256[:12]} ({self.purpose})"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    @property
    def is_image(self) -> bool:
        return self.kind in (Kind.JPEG, Kind.PNG, Kind.WEBP)

    def _url(self, name: str) -> str:
        from .storage import public_storage

        return public_storage().url(name) if name and self.public else ""

    @property
    def public_url(self) -> str:
        """URL of the metadata-free copy for anyone, or "" when the file is not public."""
        return self._url(self.public_name)

    @property
    def thumbnail_url(self) -> str:
        return self._url(self.thumbnail_name)
