from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.db import transaction

from tests.uploads import samples
from tests.uploads.conftest import upload
from yiwang.core.audit.models import AuditEvent
from yiwang.core.uploads.actions import store_upload
from yiwang.core.uploads.models import StoredFile
from yiwang.core.uploads.storage import sweep_orphans


def _files(media_root) -> set[str]:
    return {str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()}


@pytest.mark.django_db
def test_same_content_same_purpose_is_stored_once(system, media_root):
    first = store_upload(system, upload(samples.png(), "a.png"), purpose="p")
    files = _files(media_root)
    again = store_upload(system, upload(samples.png(), "renamed.jpg"), purpose="p")
    assert again.pk == first.pk
    assert _files(media_root) == files  # nothing new written
    other_purpose = store_upload(system, upload(samples.png(), "a.png"), purpose="q")
    assert other_purpose.pk != first.pk
    assert StoredFile.objects.count() == 2
    assert AuditEvent.objects.filter(action="uploads.file.reuse", object_id=str(first.pk)).count() == 1


@pytest.mark.django_db
def test_reupload_asking_for_public_publishes_the_clean_copy(system):
    private = store_upload(system, upload(samples.jpeg_with_gps()), purpose="p")
    assert not private.public
    public = store_upload(system, upload(samples.jpeg_with_gps()), purpose="p", public=True)
    assert public.pk == private.pk and public.public
    assert public.public_name.startswith("uploads/public/p/")
    assert storages["default"].exists(public.public_name)


@pytest.mark.django_db(transaction=True)
def test_rolled_back_upload_leaves_no_row_and_the_sweep_removes_its_files(system, media_root):
    kept = store_upload(system, upload(samples.png((20, 20)), "kept.png"), purpose="p")

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with transaction.atomic():
            store_upload(system, upload(samples.jpeg_with_gps(), "gone.jpg"), purpose="p", public=True)
            raise Boom
    assert list(StoredFile.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AuditEvent.objects.filter(action="uploads.file.store").exclude(object_id=str(kept.pk)).exists()
    kept_files = {kept.private_name, kept.public_name, kept.thumbnail_name}
    orphans = _files(media_root) - kept_files
    assert len(orphans) == 3  # original, clean copy, thumbnail of the rolled-back upload

    assert sweep_orphans(older_than=timedelta(hours=1)) == 0  # too recent: its transaction might be open
    assert sweep_orphans(older_than=timedelta(0)) == 3
    assert _files(media_root) == kept_files


@pytest.mark.django_db
def test_failure_during_the_action_deletes_what_it_wrote(system, media_root, monkeypatch):
    from yiwang.core.uploads import actions

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "_write_clean_copies", broken)
    with pytest.raises(RuntimeError):
        store_upload(system, upload(samples.png()), purpose="p")
    assert _files(media_root) == set()
