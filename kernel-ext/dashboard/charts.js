// Throughput and round-trip charts (uPlot, from the package's node_modules: works offline).
'use strict';
(function (SG) {
  function makeChart(element, label, colour) {
    const options = {
      width: element.clientWidth || 420,
      height: 170,
      legend: { show: false },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [{}, { size: 56 }],
      series: [{}, { label, stroke: colour, width: 1.5, fill: `${colour}22`, spanGaps: false }],
    };
    const chart = new uPlot(options, [[], []], element);
    new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: 170 })).observe(element);
    return chart;
  }

  /** Both charts, fed the dashboard's points ([at ms, tasks/s, round trip ms | null]). */
  SG.makeCharts = function () {
    const throughput = makeChart(document.getElementById('throughput-chart'), 'tasks/s', '#1f77b4');
    const latency = makeChart(document.getElementById('latency-chart'), 'ms', '#ff7f0e');
    return {
      draw(points) {
        const times = points.map((p) => p[0] / 1000);
        throughput.setData([times, points.map((p) => p[1])]);
        latency.setData([times, points.map((p) => p[2])]);
      },
    };
  };
})(window.SG = window.SG || {});
