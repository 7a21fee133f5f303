"""Tables of this context: which steps of which demo seed are done (so a second run changes nothing)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SeedStep(models.Model):
    """One finished step (org units, users, territory, points of interest) of seeding the demo district."""

    seed = models.BigIntegerField(_("seed 随机种子"))
    version = models.PositiveIntegerField(_("generator version 生成器版本"))
    step = models.CharField(_("step 步骤"), max_length=32)
    done_at = models.DateTimeField(_("done at 完成时间"), default=timezone.now)
    summary = models.JSONField(_("summary 摘要"), default=dict, blank=True)

    class Meta:
        verbose_name = _("demo seed step 演示数据步骤")
        verbose_name_plural = _("demo seed steps 演示数据步骤")
        constraints = [models.UniqueConstraint(fields=["seed", "version", "step"], name="demo_seed_step_unique")]

    def __str__(self) -> str:
        return f"{self.step} (seed {self.seed}, v{self.version})"
