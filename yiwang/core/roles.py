"""The roles of BRIEF ("Who uses it") and the kinds of organisation unit they act for."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident / company 居民/企业")
    HOTLINE_OPERATOR = "hotline_operator", _("Hotline operator 12345话务员")
    GRID_WORKER = "grid_worker", _("Grid worker 网格员")
    DISPATCHER = "dispatcher", _("Subdistrict centre dispatcher 街镇网格中心派遣员")
    DEPARTMENT_HANDLER = "department_handler", _("Department handler 职能部门处置员")
    OPERATIONS_CENTRE = "operations_centre", _("District operations centre 城运中心")
    WINDOW_CLERK = "window_clerk", _("Window clerk 综合窗口")
    APPROVER = "approver", _("Approver 后台审批")
    LEADER = "leader", _("District leader 区领导")
    DATA_STEWARD = "data_steward", _("Data steward 大数据中心")
    SYSTEM_ADMIN = "system_admin", _("System administrator 系统管理员")


class OrgKind(models.TextChoices):
    OPERATIONS_CENTRE = "operations_centre", _("District operations centre 区城运中心")
    GRID_CENTRE = "grid_centre", _("Subdistrict grid centre 街镇网格中心")
    GRID_TEAM = "grid_team", _("Grid team 网格工作站")
    DEPARTMENT = "department", _("Department 职能部门")
    SERVICE_CENTRE = "service_centre", _("Service centre 行政服务中心")
    SERVICE_WINDOW = "service_window", _("Service window 服务窗口")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood committee 居委会")
    DATA_CENTRE = "data_centre", _("Big data centre 大数据中心")
    LEADERSHIP = "leadership", _("District leadership 区领导")


class Assurance(models.TextChoices):
    """How sure we are of who is logged in (ordered weakest to strongest)."""

    PASSWORD = "password", _("Password 密码")
    ID_CARD = "id_card", _("Verified ID card 身份证核验")
    GOV_SSO = "gov_sso", _("Government single sign-on 政务统一身份认证")


ASSURANCE_RANK = {Assurance.PASSWORD: 1, Assurance.ID_CARD: 2, Assurance.GOV_SSO: 3}
