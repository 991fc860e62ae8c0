// Small-sample statistics for comparing settings: mean, sample standard
// deviation, Student's t distribution and Welch's two-sample t-test. Our
// own code because the study compares a handful of runs and needs nothing
// more; checked in tests against published tables.
#ifndef GCPILOT_STATS_SAMPLE_STATS_H_
#define GCPILOT_STATS_SAMPLE_STATS_H_

#include <vector>

namespace gcpilot {

// 0 for an empty sample.
double Mean(const std::vector<double>& v);
// Sample standard deviation (n - 1); 0 under two values.
double SampleSd(const std::vector<double>& v);

// The CDF of Student's t distribution with `df` > 0 degrees of freedom.
double StudentTCdf(double t, double df);

// Two-sided p-value of Welch's t-test for the means of a and b (1 when
// either has fewer than two values; with no spread in either, 1 for equal
// means and 0 otherwise).
double WelchPValue(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace gcpilot

#endif  // GCPILOT_STATS_SAMPLE_STATS_H_
