from django.urls import path

from .views import duty, report, rounds, scene, shelters, tasks, warnings

app_name = "flood"

urlpatterns = [
    path("", scene.scene, name="scene"),
    path("map.json", scene.map_data, name="map-data"),
    path("alerts/<int:pk>/", scene.alert_page, name="alert"),
    path("warnings/", warnings.warnings_page, name="warnings"),
    path("warnings/import/", warnings.import_page, name="warnings-import"),
    path("warnings/<int:pk>/cancel/", warnings.cancel_page, name="warning-cancel"),
    path("checklists/issue/", tasks.issue_page, name="issue"),
    path("tasks/", tasks.task_list, name="tasks"),
    path("tasks/<int:pk>/", tasks.task_page, name="task"),
    path("tasks/<int:pk>/photo/<str:size>/", rounds.task_photo, name="task-photo"),
    path("rounds/<int:pk>/", rounds.round_page, name="round"),
    path("duty/", duty.roster_page, name="roster"),
    path("duty/<int:pk>/remove/", duty.remove_page, name="roster-remove"),
    path("sites/", shelters.sites_page, name="sites"),
    path("sites/<str:code>/", shelters.shelter_update, name="shelter"),
    path("report/", report.report_page, name="report"),
    path("report.csv", report.report_csv, name="report-csv"),
]
