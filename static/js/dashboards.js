/* Dashboard pages: draw every chart and wire the "Vis tabel" / "Skjul tabel" toggles. */
window.PortalCharts.drawPage("dashboard-charts");
