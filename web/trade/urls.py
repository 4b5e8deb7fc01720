from django.urls import path

from web.trade import views

app_name = "trade"

urlpatterns = [
    path("", views.home, name="home"),
    path("producers/", views.producers, name="producers"),
    path("expiring/", views.expiring, name="expiring"),
    path("delistings/", views.delistings, name="delistings"),
    path("quarantine/", views.quarantine, name="quarantine"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/handle/", views.report_handle, name="report-handle"),
    path("events/", views.events, name="events"),
    path("announcements/", views.announcements, name="announcements"),
    path("announcements/publish/", views.announcement_publish, name="announcement-publish"),
    path("sales/", views.sales, name="sales"),
    path("sales.csv", views.sales_export_csv, name="sales-csv"),
    path("sales.xlsx", views.sales_export_xlsx, name="sales-xlsx"),
    path("outlets/days/", views.outlet_days, name="outlet-days"),
    path("outlets/days.csv", views.outlet_days_export_csv, name="outlet-days-csv"),
    path("payouts/", views.payouts, name="payouts"),
]
