/* A goal's indicators (templates/kpis/partials.html#goal_indicators): draw each trajectory
   chart and wire its "Vis tabel" / "Skjul tabel" button. */
window.PortalCharts.drawPage("goal-indicator-charts", ".goal-indicator-charts");
