// What the bench tools share: the query protocol of ../shared/eval and the
// percentile every latency table uses, so all figures are computed one way.
#ifndef CHAJA_BENCH_EVAL_PROTOCOL_H_
#define CHAJA_BENCH_EVAL_PROTOCOL_H_

#include <string>
#include <vector>

namespace chaja::bench {

// The protocol every engine in ../shared/eval was run with: lower-case, and
// anything that is not a letter or digit becomes a space.
std::string SearchBoxText(const std::string& query);

// Nearest-rank percentile (p in 0..1) of `sorted`, ascending; 0 if empty.
double Percentile(const std::vector<double>& sorted, double p);

}  // namespace chaja::bench

#endif  // CHAJA_BENCH_EVAL_PROTOCOL_H_
