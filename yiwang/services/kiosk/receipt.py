"""The kiosk receipt (受理回执) as a PDF with Chinese text, to download or print."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.core.masking import mask_id_number, mask_name
from yiwang.core.pdf import simple_document


def render(application) -> bytes:
    """The receipt: code, item, situation, department, masked applicant, time, promised days, materials."""
    materials = application.materials.select_related("material").order_by("material__position", "id")
    when = timezone.localtime(application.submitted_at or application.created_at)
    lines = [
        _("Application number 办件编号: %(code)s") % {"code": application.code},
        _("Item 事项: %(name)s") % {"name": application.item.name},
        _("Situation 情形: %(name)s") % {"name": application.situation.name},
        _("Department 部门: %(name)s") % {"name": application.department.name},
        _("Applicant 申请人: %(name)s (%(id)s)")
        % {"name": mask_name(application.applicant_name), "id": mask_id_number(application.applicant_id_number)},
        _("Submitted 提交时间: %(when)s") % {"when": f"{when:%Y-%m-%d %H:%M}"},
        _("Promised time limit 承诺时限: %(days)s working days 个工作日") % {"days": application.promised_days},
        _("Channel 渠道: self-service kiosk 自助终端"),
        "",
        _("Materials 材料:"),
    ]
    for row in materials:
        state = _("exempted 免交") if row.state == "exempted" else row.get_state_display()
        lines.append(f"  · {row.material.name} — {state}")
    return simple_document(
        _("Receipt 受理回执 %(code)s") % {"code": application.code},
        lines,
        footer=_("Keep this receipt. Follow the application with its number. 请妥善保管本回执。"),
    )


def render_bundle(bundled) -> bytes:
    """The receipt of a one-thing bundle: one line per department's application, the masked applicant."""
    parts = list(bundled.parts.select_related("item", "department").order_by("id"))
    first = parts[0] if parts else None
    when = timezone.localtime(first.submitted_at or first.created_at) if first else timezone.localtime()
    lines = [
        _("One-thing bundle 一件事: %(name)s") % {"name": bundled.bundle.name},
        _("Applicant 申请人: %(name)s (%(id)s)")
        % {
            "name": mask_name(first.applicant_name if first else ""),
            "id": mask_id_number(first.applicant_id_number if first else ""),
        },
        _("Submitted 提交时间: %(when)s") % {"when": f"{when:%Y-%m-%d %H:%M}"},
        _("Channel 渠道: self-service kiosk 自助终端"),
        "",
        _("Applications 办件:"),
    ]
    for part in parts:
        lines.append(f"  · {part.code} — {part.item.name} — {part.department.name}")
    lines.append(
        _("Promised time limit 承诺时限: %(days)s working days 个工作日")
        % {"days": max((p.promised_days for p in parts), default=0)}
    )
    return simple_document(
        _("Receipt 受理回执 %(name)s") % {"name": bundled.bundle.name},
        lines,
        footer=_("Keep this receipt. Follow the application with its number. 请妥善保管本回执。"),
    )
