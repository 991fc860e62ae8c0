#include "tune/spec.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "base/cpus.h"
#include "tune/design.h"
#include "tune/rounds.h"
#include "tune/spec_flags.h"
#include "tune/study.h"

namespace gcpilot {
namespace {

TEST(SpecTest, KnobValues) {
  const std::pair<std::pair<const char*, const char*>, const char*> cases[] = {
      {{"GOGC", "100"}, ""},
      {{"GOGC", "off"}, ""},
      {{"GOGC", "-5"},
       "factor GOGC: level \"-5\": want \"off\" or a whole number of percent in 0..2147483647 (2^31-1)"},
      {{"GOMEMLIMIT", "512MiB"}, ""},
      {{"GOMEMLIMIT", "off"}, ""},
      {{"GOMEMLIMIT", "1073741824"}, ""},
      {{"GOMEMLIMIT", "1.5GiB"},
       "factor GOMEMLIMIT: level \"1.5GiB\": want \"off\" or a whole number with B, KiB, MiB, GiB or TiB (e.g. "
       "512MiB)"},
      {{"GOMEMLIMIT", "1GB"},
       "factor GOMEMLIMIT: level \"1GB\": want \"off\" or a whole number with B, KiB, MiB, GiB or TiB (e.g. 512MiB)"},
      {{"GOMAXPROCS", "0"}, "factor GOMAXPROCS: level \"0\": want a whole number in 1..2147483647 (2^31-1)"},
      {{"GCPROCS", "2"},
       "factor GCPROCS: not a Go runtime knob (the runtime reads GOGC, GOMEMLIMIT, GOMAXPROCS, GODEBUG)"},
      {{"GOMEMLIMT", "1GiB"},
       "factor GOMEMLIMT: not a Go runtime knob (did you mean GOMEMLIMIT? the runtime reads "
       "GOGC, GOMEMLIMIT, GOMAXPROCS, GODEBUG)"},
      {{"GOGCPERCENT", "50"},
       "factor GOGCPERCENT: not a Go runtime knob (the runtime reads GOGC, GOMEMLIMIT, "
       "GOMAXPROCS, GODEBUG)"},
      {{"GODEBUG", "madvdontneed=1"}, ""},
      {{"GODEBUG", "gctrace=0"},
       "factor GODEBUG: level \"gctrace=0\": tune sets gctrace=1 itself to read the GC; vary other GODEBUG settings"},
      {{"GOTRACEBACK", "all"}, ""},
      {{"GOPHER_POOL", "1"}, ""},
      {{"GOMAXPROC", "2"},
       "factor GOMAXPROC: not a Go runtime knob (did you mean GOMAXPROCS? the runtime reads "
       "GOGC, GOMEMLIMIT, GOMAXPROCS, GODEBUG)"},
      {{"GOMEMLIMIT", "8388607TiB"}, ""},
      {{"GOMEMLIMIT", "8388608TiB"},
       "factor GOMEMLIMIT: level \"8388608TiB\": over the largest limit Go accepts "
       "(2^63-1 bytes; Go would stop with \"malformed GOMEMLIMIT\")"},
      {{"GOMEMLIMIT", "9223372036854775807"}, ""},
      {{"MY-VAR", "1"}, "factor \"MY-VAR\": not an environment variable name"},
      {{"PAYGATE_POOL", "1"}, ""},
  };
  for (const auto& [nv, want] : cases) {
    const Status st = CheckFactorValue(nv.first, nv.second);
    EXPECT_EQ(st.ok() ? "" : st.message(), want) << nv.first << "=" << nv.second;
  }
}

std::string SpecError(const std::string& name) {
  const std::string path = std::string(GCPILOT_SOURCE_DIR) + "/testdata/tune/" + name;
  auto s = LoadStudySpec(path);
  return s.ok() ? "ok" : s.status().message().substr(std::string(GCPILOT_SOURCE_DIR).size() + 1);
}

TEST(SpecTest, BadSpecsNameThePlace) {
  EXPECT_EQ(SpecError("unknown-key.toml"),
            "testdata/tune/unknown-key.toml:4:1: unknown key \"reddy\" in target (known: command, ready, "
            "ready_timeout, env, cpus)");
  EXPECT_EQ(SpecError("bad-gomemlimit.toml"),
            "testdata/tune/bad-gomemlimit.toml:9:10: factor GOMEMLIMIT: level \"1.5GB\": want \"off\" or a "
            "whole number with B, KiB, MiB, GiB or TiB (e.g. 512MiB)");
  EXPECT_EQ(SpecError("fake-knob.toml"),
            "testdata/tune/fake-knob.toml:9:10: factor GCPROCS: not a Go runtime knob (the runtime reads GOGC, "
            "GOMEMLIMIT, GOMAXPROCS, GODEBUG)");
  EXPECT_EQ(SpecError("missing-target.toml"),
            "testdata/tune/missing-target.toml: target.command: /no/such/service does not exist");
  EXPECT_EQ(SpecError("impossible-design.toml"), "ok");  // the design is checked by MakeDesign
}

TEST(SpecTest, TargetsAndCpusAreCheckedBeforeAnyRun) {
  StudySpec s = BuiltinPaygateSpec("/bin/true", GCPILOT_SOURCE_DIR);
  ASSERT_TRUE(ValidateStudySpec(s).ok());
  s.command = {"no-such-service-xyz", "--port", "{port}"};
  EXPECT_EQ(ValidateStudySpec(s).message(), "target.command: no-such-service-xyz is not an executable in $PATH");
  s.command = {"true", "{port}"};  // found in $PATH
  EXPECT_TRUE(ValidateStudySpec(s).ok());
  s.command = {"/tmp", "{port}"};  // a directory is not a program
  EXPECT_EQ(ValidateStudySpec(s).message(), "target.command: /tmp is not an executable file");
  s.command = {"true", "{port}"};

  s.target_cpus = {1000};
  std::string usable;
  for (int c : UsableCpuList()) usable += (usable.empty() ? "" : ",") + std::to_string(c);
  EXPECT_EQ(ValidateStudySpec(s).message(),
            "target.cpus: CPU 1000 is not available to this process (usable: " + usable + ")");
  s.target_cpus = {UsableCpuList()[0]};
  s.load_cpus = s.target_cpus;
  EXPECT_EQ(ValidateStudySpec(s).message(), "target.cpus and load.cpus share CPU " + std::to_string(s.target_cpus[0]) +
                                                ": the load generator would compete with the service it measures");

  s.ready_url = "http://10.1.1.1:{port}/healthz";  // the error shows it as written
  s.load_cpus.clear();
  EXPECT_NE(ValidateStudySpec(s).message().find("http://10.1.1.1:{port}/healthz"), std::string::npos)
      << ValidateStudySpec(s).message();
}

TEST(SpecTest, SplitCpusPinsTheLoadGeneratorApart) {
  StudySpec s;
  SplitCpus(&s);
  const std::vector<int> usable = UsableCpuList();
  if (usable.size() < 2) {
    EXPECT_TRUE(s.target_cpus.empty() && s.load_cpus.empty());  // nothing to split
    return;
  }
  EXPECT_EQ(s.load_cpus, std::vector<int>{usable.back()});
  EXPECT_EQ(s.target_cpus, std::vector<int>(usable.begin(), usable.end() - 1));
  StudySpec given;
  given.target_cpus = {usable[0]};
  SplitCpus(&given);  // named CPUs are kept as they are
  EXPECT_EQ(given.target_cpus, std::vector<int>{usable[0]});
  EXPECT_TRUE(given.load_cpus.empty());
}

TEST(SpecTest, BuiltinMixFollowsTheGatewaysHistory) {
  const StudySpec s = BuiltinPaygateSpec("/bin/true", GCPILOT_SOURCE_DIR, 16);
  EXPECT_EQ(s.command, (std::vector<std::string>{"/bin/true", "-addr", "127.0.0.1:{port}", "-live-mb", "16",
                                                 "-order-ttl", "3s", "-idem-ttl", "3s"}));
  ASSERT_EQ(s.kinds.size(), 3u);
  EXPECT_EQ(s.kinds[1].path, "/v1/orders/ord_{rand:16384}");
  EXPECT_EQ(s.kinds[2].body, R"({"order_id":"ord_{rand:16384}","amount":1,"reason":"requested_by_customer"})");
}

TEST(SpecTest, JsonRoundTrip) {
  StudySpec s = BuiltinPaygateSpec("/bin/true", GCPILOT_SOURCE_DIR);
  ASSERT_EQ(s.kinds.size(), 3u);
  auto back = StudySpecFromJson(StudySpecToJson(s));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(StudySpecToJson(*back), StudySpecToJson(s));
  EXPECT_FALSE(StudySpecFromJson(nlohmann::json::object()).ok());
}

TEST(StudyPlanTest, RefinementMidpoints) {
  const Factor gogc{"GOGC", {"50", "100", "400"}, "100"};
  EXPECT_EQ(NeighbourMidpoints(gogc, "100"), (std::vector<std::string>{"75", "250"}));
  EXPECT_EQ(NeighbourMidpoints(gogc, "400"), (std::vector<std::string>{"250"}));
  const Factor limit{"GOMEMLIMIT", {"off", "600MiB", "1200MiB"}, "off"};
  EXPECT_EQ(NeighbourMidpoints(limit, "1200MiB"), (std::vector<std::string>{"900MiB"}));
  EXPECT_TRUE(NeighbourMidpoints(limit, "off").empty());
  const Factor procs{"GOMAXPROCS", {"1", "2", "4"}, ""};
  EXPECT_TRUE(NeighbourMidpoints(procs, "1").empty());  // 1.5 rounds to 2, a level already
  EXPECT_EQ(NeighbourMidpoints(procs, "4"), (std::vector<std::string>{"3"}));
  const Factor pool{"PAYGATE_POOL", {"0", "1"}, "0"};
  EXPECT_TRUE(NeighbourMidpoints(pool, "1").empty());  // 0.5 rounds to 1 (llround), itself
  // An unset best is the runtime's default: GOGC 100 between 50 and 200.
  EXPECT_EQ(NeighbourMidpoints({"GOGC", {"50", "", "200"}, ""}, ""), (std::vector<std::string>{"75", "150"}));
  EXPECT_TRUE(NeighbourMidpoints({"GOMEMLIMIT", {"", "600MiB"}, ""}, "").empty());  // no midpoint with no limit
  EXPECT_EQ(NeighbourMidpoints({"GOMEMLIMIT", {"", "600MiB", "1200MiB"}, ""}, "600MiB"),
            (std::vector<std::string>{"900MiB"}));
  // The midpoint 1025MiB is the level spelled 1049600KiB: not a new setting.
  EXPECT_TRUE(NeighbourMidpoints({"GOMEMLIMIT", {"1GiB", "1049600KiB"}, ""}, "1GiB").empty());
}

TEST(StudyPlanTest, EveryCellRepeatsPlusTheDefault) {
  StudySpec s = BuiltinPaygateSpec("/bin/true", GCPILOT_SOURCE_DIR);
  auto d = MakeDesign("auto", {3, 3, 3, 2});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->name, "L9");
  const auto plan = PlanStudy(s, *d);
  ASSERT_EQ(plan.size(), 20u);  // 9 cells x 2 + the default x 2
  std::map<int, int> per_cell;
  int baseline = 0;
  for (size_t i = 0; i < plan.size(); ++i) {
    EXPECT_EQ(plan[i].seq, static_cast<int>(i));
    if (plan[i].phase == RunPhase::kBaseline) {
      ++baseline;
      EXPECT_EQ(plan[i].env.at("GOGC"), "100");
      EXPECT_EQ(plan[i].env.at("GOMEMLIMIT"), "off");
      EXPECT_EQ(plan[i].env.at("GOMAXPROCS"), "");  // unset: the runtime's default
    } else {
      ++per_cell[*plan[i].design_cell];
    }
  }
  EXPECT_EQ(baseline, 2);
  EXPECT_EQ(per_cell.size(), 9u);
  for (const auto& [c, n] : per_cell) EXPECT_EQ(n, 2);
  // The order is shuffled, and the same for the same seed.
  EXPECT_EQ(PlanStudy(s, *d)[0].env, plan[0].env);
  bool shuffled = false;
  for (size_t i = 0; i + 1 < plan.size(); ++i)
    shuffled |= plan[i].design_cell.value_or(-1) > plan[i + 1].design_cell.value_or(-1);
  EXPECT_TRUE(shuffled);
}

// The flags and a spec file read a factor the same way: one default setting,
// not "off" from one and unset from the other.
TEST(SpecFlagsTest, FlagsAndSpecFilesAgreeOnTheDefaultSetting) {
  auto gogc = ParseFactorFlag("GOGC=50,100,400");
  ASSERT_TRUE(gogc.ok());
  EXPECT_EQ(gogc->baseline, "100");
  EXPECT_EQ(ParseFactorFlag("GOMEMLIMIT=off,1GiB")->baseline, "off");
  EXPECT_EQ(ParseFactorFlag("GOMEMLIMIT=600MiB,1GiB")->baseline, "off");  // the default, outside the levels
  EXPECT_EQ(ParseFactorFlag("GOGC=50,200")->baseline, "100");
  EXPECT_EQ(ParseFactorFlag("GOMAXPROCS=1,2")->baseline, "");
  EXPECT_EQ(ParseFactorFlag("=1,2").status().message(),
            "--factor \"=1,2\": want NAME=level,level,... (e.g. GOGC=50,100,400)");
  auto file = LoadStudySpec(std::string(GCPILOT_SOURCE_DIR) + "/testdata/tune/two-knobs.toml");
  ASSERT_TRUE(file.ok()) << file.status().message();
  ASSERT_EQ(file->factors.size(), 2u);
  EXPECT_EQ(file->factors[0], *ParseFactorFlag("GOGC=50,100,400"));
  EXPECT_EQ(file->factors[1], *ParseFactorFlag("GOMEMLIMIT=off,1GiB"));
}

// One check (CheckFactor) for both ways in: each --factor text is refused
// with the same reason the spec file's levels are.
TEST(SpecFlagsTest, FlagsAndSpecFilesRefuseTheSameLevels) {
  const std::pair<const char*, const char*> cases[] = {
      {"GOGC=50,,100",
       "factor GOGC: levels \"\" and \"100\" are the same setting to Go (Go's default is the same "
       "as leaving the variable unset)"},
      {"GOGC=007,7", "factor GOGC: levels \"007\" and \"7\" are the same setting to Go"},
      {"GOMEMLIMIT=off,",
       "factor GOMEMLIMIT: levels \"off\" and \"\" are the same setting to Go (Go's default is "
       "the same as leaving the variable unset)"},
      {"GOMEMLIMIT=1GiB,1024MiB", "factor GOMEMLIMIT: levels \"1GiB\" and \"1024MiB\" are the same setting to Go"},
      {"GOGC=50,50", "factor GOGC: level \"50\" is given twice"},
      {"GOMAXPROCS=2,02", "factor GOMAXPROCS: levels \"2\" and \"02\" are the same setting to Go"},
      {"GOMAXPROCS=-1", "factor GOMAXPROCS: level \"-1\": want a whole number in 1..2147483647 (2^31-1)"},
      {"APP_MODE=a,,a", "factor APP_MODE: level \"a\" is given twice"},
  };
  for (const auto& [text, want] : cases) {
    const std::string name = std::string(text).substr(0, std::string(text).find('='));
    Factor f{name, {}, ""};
    const std::string rest = std::string(text).substr(name.size() + 1);
    for (size_t at = 0;;) {
      const size_t comma = rest.find(',', at);
      f.levels.push_back(rest.substr(at, comma - at));
      if (comma == std::string::npos) break;
      at = comma + 1;
    }
    EXPECT_EQ(CheckFactor(f).message(), want) << text;
    EXPECT_EQ(ParseFactorFlag(text).status().message(), fmt::format("--factor {}: {}", text, want));
  }
  // Unset is a level like any other where it is no other level's setting:
  // GOMAXPROCS unset is the CPU count, an app switch unset is the app's own default.
  EXPECT_TRUE(ParseFactorFlag("GOMAXPROCS=,1,2").ok());
  EXPECT_TRUE(ParseFactorFlag("APP_MODE=,fast").ok());
  EXPECT_TRUE(CheckFactor({"GOMAXPROCS", {"", "1", "2"}, ""}).ok());
}

// A setting equal to the default is the default's cell: GOGC=100 and GOGC
// unset are planned, grouped and found as one.
TEST(StudyPlanTest, TheDefaultSpelledOutIsTheDefaultsLevel) {
  StudySpec spec;
  spec.factors = {{"GOGC", {"50", ""}, "100"}, {"GOMEMLIMIT", {"off", "1GiB"}, "off"}};
  EXPECT_EQ(LevelsOf(spec, {{"GOGC", "100"}, {"GOMEMLIMIT", "1024MiB"}}), (std::vector<int>{1, 1}));
  EXPECT_EQ(LevelsOf(spec, {{"GOGC", "050"}}), (std::vector<int>{0, 0}));  // GOMEMLIMIT unset is "off"
  spec.repeats = 1;
  const auto plan = PlanStudy(spec, *MakeDesign("full", {2, 2}));
  for (const RunResult& r : plan) {
    if (r.phase == RunPhase::kBaseline) {
      EXPECT_EQ(r.levels, (std::vector<int>{1, 0}));
      EXPECT_EQ(r.env, (Env{{"GOGC", ""}, {"GOMEMLIMIT", "off"}}));
    }
  }
}

TEST(SpecFlagsTest, ACommandLineStudyLoadsThePathOfItsUrl) {
  auto spec = CommandLineSpec({"/bin/true", "{port}"}, "http://127.0.0.1:{port}/healthz",
                              "http://127.0.0.1:{port}/v1/orders/ord_1?x=1");
  ASSERT_TRUE(spec.ok());
  ASSERT_EQ(spec->kinds.size(), 1u);
  EXPECT_EQ(spec->kinds[0].path, "/v1/orders/ord_1?x=1");
  EXPECT_EQ(spec->factors.size(), 2u);
  EXPECT_EQ(CommandLineSpec({"/bin/true"}, "", "").status().message(),
            "a command needs --ready URL (answers 200 when the service is up)");
  SpecOverrides o;
  o.duration = "soon";
  EXPECT_EQ(ApplyOverrides(o, &*spec).message().rfind("--duration: ", 0), 0u);
  o = {};
  o.factors = {"GOGC=25,100"};
  o.repeats = 3;
  ASSERT_TRUE(ApplyOverrides(o, &*spec).ok());
  EXPECT_EQ(spec->repeats, 3);
  EXPECT_EQ(spec->factors, (std::vector<Factor>{{"GOGC", {"25", "100"}, "100"}}));
}

// A spec file written into a fresh folder, loaded from inside that folder
// by its bare name (as `gcpilot tune --spec s.toml` from there does).
class SpecInFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / fmt::format("gcpilot-spec-test-{}", getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    old_ = std::filesystem::current_path();
    std::filesystem::current_path(dir_);
  }
  void TearDown() override {
    std::filesystem::current_path(old_);
    std::filesystem::remove_all(dir_);
  }
  static void Write(const std::string& name, const std::string& text) { std::ofstream(name) << text; }
  static std::string Spec(const std::string& command, const std::string& load) {
    return fmt::format(
        "[target]\ncommand = [{}, \"{{port}}\"]\nready = \"http://127.0.0.1:{{port}}/\"\n[load]\n"
        "url = \"http://127.0.0.1:{{port}}/\"\n{}\n[[factor]]\nname = \"GOGC\"\nlevels = [\"50\", \"200\"]\n",
        command, load);
  }
  std::filesystem::path dir_, old_;
};

// "./svc" beside the spec is run from there, never looked up in $PATH (a
// `svc` there would be another program).
TEST_F(SpecInFolderTest, ACommandBesideTheSpecKeepsItsFolder) {
  Write("s.toml", Spec("\"./nope\"", ""));
  EXPECT_EQ(LoadStudySpec("s.toml").status().message(), "s.toml: target.command: ./nope does not exist");
  Write("s.toml", Spec("\"./ls\"", ""));  // ls is in $PATH, ./ls is not
  EXPECT_EQ(LoadStudySpec("s.toml").status().message(), "s.toml: target.command: ./ls does not exist");
  std::filesystem::copy_file("/bin/true", "svc");
  Write("mix.toml", "[[request]]\nname = \"home\"\npath = \"/\"\n");
  Write("s.toml", Spec("\"./svc\"", "requests = \"mix.toml\""));
  auto spec = LoadStudySpec("s.toml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_EQ(spec->command[0], "./svc");
  ASSERT_EQ(spec->kinds.size(), 1u);
  EXPECT_EQ(spec->kinds[0].name, "home");
  Write("s.toml", Spec("\"sub/../svc\"", ""));
  EXPECT_EQ(LoadStudySpec("s.toml")->command[0], "./svc");
}

// A stepped rate measures its steps: the spec's duration is their sum, and
// a different duration beside it is refused where it is written.
TEST_F(SpecInFolderTest, AStepedRateSetsTheMeasuredDuration) {
  Write("s.toml", Spec("\"/bin/true\"", "rate = \"200@1s,300@1s\"\nduration = \"6s\""));
  EXPECT_EQ(LoadStudySpec("s.toml").status().message(),
            "s.toml:7:12: load.duration 6s conflicts with the 2s the load.rate segments add up to; give one of them");
  Write("s.toml", Spec("\"/bin/true\"", "rate = \"200@1s,300@1s\""));
  auto spec = LoadStudySpec("s.toml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_EQ(spec->duration_ns, 2'000'000'000);
  Write("s.toml", Spec("\"/bin/true\"", "rate = \"200@1s,300@1s\"\nduration = \"2s\""));
  EXPECT_EQ(LoadStudySpec("s.toml")->duration_ns, 2'000'000'000);
  Write("s.toml", Spec("\"/bin/true\"", "rate = \"300\"\nduration = \"6s\""));  // a constant rate lasts the duration
  EXPECT_EQ(LoadStudySpec("s.toml")->duration_ns, 6'000'000'000);
}

TEST(SpecFlagsTest, AStepedRateFlagSetsTheMeasuredDuration) {
  auto spec = CommandLineSpec({"/bin/true", "{port}"}, "http://127.0.0.1:{port}/", "");
  ASSERT_TRUE(spec.ok());
  SpecOverrides o;
  o.rate = "200@1s,300@1s";
  o.duration = "6s";
  EXPECT_EQ(ApplyOverrides(o, &*spec).message(),
            "--duration 6s conflicts with the 2s the --rate segments add up to; give one of them");
  o.duration.clear();
  ASSERT_TRUE(ApplyOverrides(o, &*spec).ok());
  EXPECT_EQ(spec->duration_ns, 2'000'000'000);
  o = {};
  o.duration = "3s";  // against the rate already there
  EXPECT_EQ(ApplyOverrides(o, &*spec).message(),
            "--duration 3s conflicts with the 2s the load.rate segments add up to; give one of them");
}

// Every factor at one level that is its baseline: four runs of one setting.
TEST(SpecTest, AStudyWithNothingToCompareIsRefused) {
  StudySpec s = BuiltinPaygateSpec("/bin/true", GCPILOT_SOURCE_DIR);
  const std::string why =
      "every factor has one level and it is the default setting ({}), so every run would be the same setting; give "
      "a factor a level other than its baseline";
  for (const Factor& f : {Factor{"GOGC", {"100"}, "100"}, Factor{"GOGC", {""}, "100"},
                          Factor{"GOMEMLIMIT", {"off"}, "off"}, Factor{"APP_MODE", {""}, ""}}) {
    s.factors = {f};
    EXPECT_EQ(ValidateStudySpec(s).message(),
              "nothing to compare: " +
                  fmt::format(fmt::runtime(why), f.name + "=" + (f.levels[0].empty() ? "(unset)" : f.levels[0])))
        << f.name;
  }
  s.factors = {{"GOGC", {"100"}, "100"}, {"GOMEMLIMIT", {"off"}, "off"}};
  EXPECT_EQ(ValidateStudySpec(s).message(),
            "nothing to compare: " + fmt::format(fmt::runtime(why), "GOGC=100 GOMEMLIMIT=off"));
  s.factors = {{"GOGC", {"200"}, "100"}};  // one level against the default: a comparison
  EXPECT_TRUE(ValidateStudySpec(s).ok());
  EXPECT_TRUE(ParseFactorFlag("GOGC=").ok());  // the flag alone is fine; the study is not
}

// {port} in the URLs but not in the argv or env: the service cannot know it.
TEST(SpecTest, APortTheServiceIsNeverToldIsRefused) {
  StudySpec s = BuiltinPaygateSpec("/bin/true", GCPILOT_SOURCE_DIR);
  s.command = {"/bin/true", "-addr", "127.0.0.1:8080"};
  EXPECT_EQ(ValidateStudySpec(s).message(),
            "the readiness URL uses {port}, a free port chosen for each run, but neither the command nor its env "
            "passes {port} to the service, so it cannot listen there: put {port} in its arguments (e.g. -addr "
            "127.0.0.1:{port}) or in [target] env");
  s.env = {{"PORT", "{port}"}};
  EXPECT_TRUE(ValidateStudySpec(s).ok());
  s.env.clear();
  s.ready_url = "http://127.0.0.1:8080/healthz";
  s.load_url = "http://127.0.0.1:8080/";  // a fixed port needs nothing passed
  EXPECT_TRUE(ValidateStudySpec(s).ok());
}

TEST(StudyPlanTest, TheDefaultSettingsDesignCellIsFound) {
  StudySpec s;
  s.factors = {{"GOGC", {"50", "100"}, "100"}, {"GOMEMLIMIT", {"off", "1GiB"}, "off"}};
  EXPECT_EQ(DefaultSettingCell(s, *MakeDesign("full", {2, 2})), 2);  // GOGC=100 GOMEMLIMIT=off
  s.factors = {{"GOGC", {"50", "200"}, "100"}};
  EXPECT_EQ(DefaultSettingCell(s, *MakeDesign("full", {2})), std::nullopt);
}

// What the plan may add after the design: only rounds that can happen.
TEST(StudyPlanTest, RoundRunBoundsCountOnlyWhatCanHappen) {
  StudySpec s = BuiltinPaygateSpec("/bin/true", GCPILOT_SOURCE_DIR);  // L9, 2 repeats, verify 3
  RoundRunBounds b = MaxRoundRuns(s, *MakeDesign("auto", {3, 3, 3, 2}));
  EXPECT_EQ(b.confirm, 2);  // 9 of 54 settings tried
  EXPECT_EQ(b.refine, 0);
  EXPECT_EQ(b.verify, 6);
  s.factors = {{"GOGC", {"50", "200"}, "100"}};
  s.verify = 0;
  s.refine = true;
  b = MaxRoundRuns(s, *MakeDesign("full", {2}));
  EXPECT_EQ(b.confirm, 0);  // the full grid tries every setting
  EXPECT_EQ(b.refine, 2);   // one midpoint, 2 repeats
  EXPECT_EQ(b.verify, 0);
}

// GOMEMLIMIT in gcpilot's own environment reaches every run: named, and
// kept in the stored spec's env, unless it is a factor or env sets it.
TEST(SpecTest, InheritedGoKnobsAreNamed) {
  StudySpec s = BuiltinPaygateSpec("/bin/true", GCPILOT_SOURCE_DIR);  // GOGC, GOMEMLIMIT, GOMAXPROCS factors
  for (const char* name : {"GOGC", "GOMEMLIMIT", "GOMAXPROCS", "GODEBUG"}) unsetenv(name);
  setenv("GOMEMLIMIT", "1GiB", 1);
  setenv("GODEBUG", "madvdontneed=1", 1);
  using Vars = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(InheritedGoKnobs(s), (Vars{{"GODEBUG", "madvdontneed=1"}}));
  s.factors = {{"GOGC", {"50", "200"}, "100"}};
  s.env = {{"GODEBUG", "x=1"}};
  EXPECT_EQ(InheritedGoKnobs(s), (Vars{{"GOMEMLIMIT", "1GiB"}}));
  KeepInheritedGoKnobs(&s);
  EXPECT_EQ(s.env, (Vars{{"GODEBUG", "x=1"}, {"GOMEMLIMIT", "1GiB"}}));
  EXPECT_TRUE(InheritedGoKnobs(s).empty());
  unsetenv("GOMEMLIMIT");
  unsetenv("GODEBUG");
}

}  // namespace
}  // namespace gcpilot

namespace gcpilot {
namespace {

constexpr int64_t kSec = 1'000'000'000;

TEST_F(SpecInFolderTest, TheWindowKeysAndTheirDefaults) {
  Write("s.toml", Spec("\"/bin/true\"", ""));
  auto spec = LoadStudySpec("s.toml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_EQ(spec->min_gc_periods, 3);
  EXPECT_EQ(spec->max_duration_ns, 180 * kSec);
  EXPECT_EQ(spec->heap_horizon_ns, 3600 * kSec);
  EXPECT_TRUE(UsesPeriodWindow(*spec));
  Write("s.toml", Spec("\"/bin/true\"", "min_gc_periods = 5\nmax_duration = \"40s\"") +
                      "[constraints]\nheap_horizon = \"10m\"\n");
  spec = LoadStudySpec("s.toml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_EQ(spec->min_gc_periods, 5);
  EXPECT_EQ(spec->max_duration_ns, 40 * kSec);
  EXPECT_EQ(spec->heap_horizon_ns, 600 * kSec);
  Write("s.toml", Spec("\"/bin/true\"", "min_gc_periods = 0"));
  EXPECT_FALSE(UsesPeriodWindow(*LoadStudySpec("s.toml")));
  // A stepped rate keeps its fixed window, and no bound applies to it.
  Write("s.toml", Spec("\"/bin/true\"", "rate = \"200@100s,300@100s\""));
  spec = LoadStudySpec("s.toml");
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_FALSE(UsesPeriodWindow(*spec));
}

TEST_F(SpecInFolderTest, BadWindowKeysNameTheirPlace) {
  Write("s.toml", Spec("\"/bin/true\"", "duration = \"20s\"\nmax_duration = \"10s\""));
  EXPECT_EQ(LoadStudySpec("s.toml").status().message(),
            "s.toml:7:16: load.max_duration 10s is shorter than load.duration 20s: the window is at least the "
            "duration");
  Write("s.toml", Spec("\"/bin/true\"", "min_gc_periods = -1"));
  EXPECT_EQ(LoadStudySpec("s.toml").status().message(),
            "s.toml:6:18: load.min_gc_periods must be a whole number 0..1000000");
  Write("s.toml", Spec("\"/bin/true\"", "") + "[constraints]\nheap_horizon = \"soon\"\n");
  EXPECT_EQ(LoadStudySpec("s.toml").status().message(),
            "s.toml:11:16: constraints.heap_horizon duration \"soon\" is not a positive number with ms, s, m or h");
}

TEST(SpecFlagsTest, TheWindowFlagsAreCheckedAsTheKeysAre) {
  auto spec = CommandLineSpec({"/bin/true", "{port}"}, "http://127.0.0.1:{port}/", "");
  ASSERT_TRUE(spec.ok());
  SpecOverrides o;
  o.min_gc_periods = "2";
  o.max_duration = "30s";
  o.heap_horizon = "5m";
  ASSERT_TRUE(ApplyOverrides(o, &*spec).ok());
  EXPECT_EQ(spec->min_gc_periods, 2);
  EXPECT_EQ(spec->max_duration_ns, 30 * kSec);
  EXPECT_EQ(spec->heap_horizon_ns, 300 * kSec);
  o = {};
  o.min_gc_periods = "2x";
  EXPECT_EQ(ApplyOverrides(o, &*spec).message(), "--min-gc-periods \"2x\": must be a whole number 0..1000000");
  o = {};
  o.max_duration = "10s";
  o.duration = "20s";
  EXPECT_EQ(ApplyOverrides(o, &*spec).message(),
            "--max-duration 10s is shorter than --duration 20s: the window is at least the duration");
  spec = CommandLineSpec({"/bin/true", "{port}"}, "http://127.0.0.1:{port}/", "");
  spec->max_duration_ns = 30 * kSec;
  o = {};
  o.duration = "40s";  // against the max_duration already there
  EXPECT_EQ(ApplyOverrides(o, &*spec).message(),
            "load.max_duration 30s is shorter than --duration 40s: the window is at least the duration");
}

TEST(SpecTest, AStoredSpecWithoutTheWindowKeysReadsTheDefaults) {
  StudySpec s = BuiltinPaygateSpec("/bin/true", GCPILOT_SOURCE_DIR);
  s.min_gc_periods = 7;
  s.max_duration_ns = 50 * kSec;
  s.heap_horizon_ns = 9 * kSec;
  nlohmann::json j = StudySpecToJson(s);
  auto back = StudySpecFromJson(j);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->min_gc_periods, 7);
  EXPECT_EQ(back->max_duration_ns, 50 * kSec);
  EXPECT_EQ(back->heap_horizon_ns, 9 * kSec);
  for (const char* key : {"min_gc_periods", "max_duration_ns", "heap_horizon_ns"}) j.erase(key);
  back = StudySpecFromJson(j);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->min_gc_periods, 3);
  EXPECT_EQ(back->max_duration_ns, 180 * kSec);
  EXPECT_EQ(back->heap_horizon_ns, 3600 * kSec);
}

// [trace] seconds: read, checked against the window, kept with the study.
TEST(SpecTest, TheTraceKeyAsksForATraceInsideTheWindow) {
  const std::string dir = std::string(GCPILOT_SOURCE_DIR) + "/testdata/tune/";
  auto s = LoadStudySpec(dir + "trace-seconds.toml");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->trace_seconds, 2);
  EXPECT_EQ(LoadStudySpec(dir + "two-knobs.toml")->trace_seconds, 0);  // off unless asked
  EXPECT_EQ(SpecError("trace-too-long.toml"),
            "testdata/tune/trace-too-long.toml: trace.seconds 6 is longer than load.duration 5s: the trace must end "
            "inside the measured window");
  EXPECT_EQ(SpecError("trace-bad-seconds.toml"),
            "testdata/tune/trace-bad-seconds.toml:11:11: trace.seconds must be a whole number 0..600");
  auto back = StudySpecFromJson(StudySpecToJson(*s));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->trace_seconds, 2);
  nlohmann::json old = StudySpecToJson(*s);
  old.erase("trace_seconds");  // a study stored before traces
  EXPECT_EQ(StudySpecFromJson(old)->trace_seconds, 0);
}

TEST(SpecFlagsTest, TheTraceFlagIsCheckedAsItsKeyIs) {
  auto spec = CommandLineSpec({"/bin/true", "{port}"}, "http://127.0.0.1:{port}/", "");
  ASSERT_TRUE(spec.ok());
  SpecOverrides o;
  o.trace_seconds = "3";
  ASSERT_TRUE(ApplyOverrides(o, &*spec).ok());
  EXPECT_EQ(spec->trace_seconds, 3);
  o.trace_seconds = "0";
  ASSERT_TRUE(ApplyOverrides(o, &*spec).ok());
  EXPECT_EQ(spec->trace_seconds, 0);
  o.trace_seconds = "2s";
  EXPECT_EQ(ApplyOverrides(o, &*spec).message(), "--trace-seconds \"2s\": must be a whole number 0..600");
  o.trace_seconds = "601";
  EXPECT_EQ(ApplyOverrides(o, &*spec).message(), "--trace-seconds \"601\": must be a whole number 0..600");
  o.trace_seconds = "30";
  EXPECT_EQ(ApplyOverrides(o, &*spec).message(),
            "--trace-seconds 30 is longer than load.duration 20s: the trace must end inside the measured window");
  o.duration = "10s";
  o.trace_seconds = "";
  spec->trace_seconds = 15;
  EXPECT_EQ(ApplyOverrides(o, &*spec).message(),
            "trace.seconds 15 is longer than --duration 10s: the trace must end inside the measured window");
}

}  // namespace
}  // namespace gcpilot
