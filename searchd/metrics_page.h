// RenderMetricsPage: the text of searchd's GET /metrics, gathered at scrape
// time from the parts of a running Server (docs/metrics.md lists the metrics).
// Per-site gauges are read here, so requests pay nothing for them.
#ifndef CHAJA_SEARCHD_METRICS_PAGE_H_
#define CHAJA_SEARCHD_METRICS_PAGE_H_

#include <string>

#include "searchd/http_server.h"
#include "searchd/search_backend.h"
#include "searchd/write_backend.h"

namespace chaja::searchd {

struct MetricsSources {
  SearchBackend* backend = nullptr;
  // The rest are nullptr when searchd runs without them.
  WriteBackend* writes = nullptr;
  const HttpServer* http = nullptr;
  // Unix seconds when the server started.
  double start_time_seconds = 0;
};

std::string RenderMetricsPage(const MetricsSources& sources);

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_METRICS_PAGE_H_
