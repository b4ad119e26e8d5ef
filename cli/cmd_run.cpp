// synthscale run pipeline.yaml [--dry-run] [--force] [--only STEP | --until STEP] [--keep-going]
//
// Runs a pipeline's steps in plan order, each as a child `synthscale` process in the
// pipeline's folder, skipping steps whose cache record says they are up to date
// (docs/pipelines.md). A step's record is written only after the child succeeded, so a
// failed or killed step runs again next time and the steps before it do not.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "commands.h"
#include "pipeline_steps.h"
#include "synthscale/workflow/cache.h"
#include "synthscale/workflow/pipeline.h"
#include "synthscale/workflow/plan.h"
#include "synthscale/workflow/step_command.h"

namespace synthscale::cli {
namespace {

struct RunArgs {
  std::string pipeline;
  bool dry_run = false;
  bool force = false;
  bool keep_going = false;
  std::string only;
  std::string until;
};

enum class StepState { kPending, kSkipped, kRan, kFailed, kNotRun };

// The signal that asked this run to stop (SIGINT, SIGTERM, SIGHUP), or 0. It is passed on
// to the running step, and the run ends with 128 + signal once the step has exited.
volatile std::sig_atomic_t g_stop_signal = 0;

void OnStopSignal(int signal_number) { g_stop_signal = signal_number; }

void InstallStopHandlers() {
  struct sigaction action {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: waitpid returns EINTR so the signal can be forwarded
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) sigaction(signal_number, &action, nullptr);
}

std::string CommandLine(const std::vector<std::string>& args) {
  std::string line = "synthscale";
  for (const std::string& arg : args) line += " " + ShellQuote(arg);
  return line;
}

// Start `exe args...` in `directory` and wait for it. Returns the exit status as a shell
// reports it: the child's exit code, or 128 + N when signal N ended it.
Result<int> RunChild(const std::string& exe, const std::vector<std::string>& args, const std::string& directory) {
  // Everything the child needs is built before fork: after it, only async-signal-safe calls.
  std::vector<std::string> argv_strings;
  argv_strings.push_back(exe);
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  std::fflush(stdout);
  std::fflush(stderr);
  // fork + exec rather than posix_spawn: the child must ask for SIGKILL when this process
  // dies (prctl), which posix_spawn cannot do. Otherwise a `run` killed with SIGKILL would
  // leave its step running on, racing the next run for the same outputs.
  // A stop signal that arrived while this step's inputs were hashed starts no step: block
  // the stop signals, look at the flag, fork, and let the child unblock them before exec.
  sigset_t stops;
  sigset_t previous;
  sigemptyset(&stops);
  for (int stop : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&stops, stop);
  ::pthread_sigmask(SIG_BLOCK, &stops, &previous);
  if (g_stop_signal != 0) {
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return 128 + g_stop_signal;
  }
  const pid_t child = ::fork();
  if (child < 0) {
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return Internal(std::string("cannot start a step: fork failed: ") + std::strerror(errno));
  }
  if (child == 0) {
    ::sigprocmask(SIG_SETMASK, &previous, nullptr);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(128 + SIGKILL);  // the parent died before prctl
    if (::chdir(directory.c_str()) != 0) ::_exit(kExitIO);
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);  // as a shell reports a command it cannot execute
  }
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);  // a pending stop signal lands here
  // Poll rather than block in waitpid: a signal handled just before a blocking waitpid
  // would interrupt nothing and never be forwarded. 20 ms is nothing next to a step.
  int status = 0;
  bool forwarded = false;
  for (;;) {
    if (g_stop_signal != 0 && !forwarded) {
      ::kill(child, g_stop_signal);
      forwarded = true;
    }
    const pid_t done = ::waitpid(child, &status, WNOHANG);
    if (done == child) break;
    if (done < 0 && errno != EINTR) {
      return Internal(std::string("waiting for a step failed: ") + std::strerror(errno));
    }
    const struct timespec pause = {0, 20'000'000};
    ::nanosleep(&pause, nullptr);
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return static_cast<int>(kExitInternal);
}

Result<std::string> OwnExecutable() {
  std::error_code error;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return Internal("cannot find the synthscale program (/proc/self/exe): " + error.message());
  return exe.string();
}

// Folders for the outputs. Temporaries a killed step left behind are not removed here:
// the step's own AtomicOutputFile removes those no live writer holds (flock), and only those.
Status PrepareOutputs(const Pipeline& pipeline, const Step& step) {
  for (const StepOutput& output : step.outputs) {
    const std::filesystem::path folder = std::filesystem::path(PathInPipeline(pipeline, output.path)).parent_path();
    std::error_code error;
    if (!folder.empty()) std::filesystem::create_directories(folder, error);
    if (error) return IOError("cannot create folder '" + folder.string() + "': " + error.message(), output.path);
  }
  return Status::Ok();
}

// One run per pipeline folder at a time: two would race for the same outputs and records.
// The lock is held until this process exits (close-on-exec: steps do not inherit it).
Status LockPipelineFolder(const Pipeline& pipeline) {
  const std::string folder = PathInPipeline(pipeline, ".synthscale");
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) return IOError("cannot create folder '" + folder + "': " + error.message(), folder);
  const std::string path = folder + "/run.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return IOError("cannot open '" + path + "': " + std::strerror(errno), path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return IOError("another 'synthscale run' is using " + pipeline.directory +
                       " (it holds " + path + "); wait for it to finish",
                   path);
  }
  return Status::Ok();
}

std::string JoinReasons(const std::vector<std::string>& reasons) {
  std::string joined;
  for (const std::string& reason : reasons) joined += (joined.empty() ? "" : "; ") + reason;
  return joined;
}

struct Decision {
  bool run = true;
  std::string why;
  std::optional<StepKeyMaterial> material;  // absent in a dry run when an upstream step runs first
};

Result<Decision> DecideStep(const Pipeline& pipeline, const Plan& plan, std::size_t idx,
                            const std::vector<StepState>& states, const RunArgs& args) {
  Decision decision;
  if (args.dry_run) {
    // An input that a step about to run rewrites: this step's key cannot be known yet.
    // (An ingest that only validates rewrites nothing, so its downstream keys are known.)
    for (const ResolvedInput& input : plan.steps[idx].inputs) {
      if (input.producer < 0 || states[static_cast<std::size_t>(input.producer)] != StepState::kRan) continue;
      const Step& producer = pipeline.steps[static_cast<std::size_t>(input.producer)];
      for (const StepOutput& output : producer.outputs) {
        if (output.path != input.path) continue;
        decision.why = "input '" + input.name + "' comes from step '" + producer.name + "', which runs first";
        return decision;
      }
    }
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(decision.material, MakeKeyMaterial(pipeline, plan, idx, ToolVersion()));
  if (args.force) {
    decision.why = "--force";
    return decision;
  }
  const std::string record_path = StepRecordPath(pipeline, pipeline.steps[idx].name);
  Result<std::optional<StepRecord>> record = ReadStepRecord(record_path);
  if (!record.ok()) {
    decision.why = "unreadable record (" + record.status().message() + ")";
    return decision;
  }
  const CacheDecision cached = Decide(*record, *decision.material, pipeline.directory);
  decision.run = cached.run;
  decision.why = JoinReasons(cached.reasons);
  return decision;
}

int RunPipeline(const RunArgs& args, const GlobalOptions& global) {
  Result<Pipeline> pipeline = ReadPipelineFile(args.pipeline);
  if (!pipeline.ok()) return ReportError(pipeline.status());
  // `synthscale --threads N run` sets the steps' threads unless the file does.
  if (!pipeline->defaults.threads && global.threads > 0) pipeline->defaults.threads = global.threads;
  Result<Plan> plan = BuildPlan(*pipeline);
  if (!plan.ok()) return ReportError(plan.status());
  Result<std::vector<std::size_t>> selected = SelectSteps(*pipeline, *plan, args.only, args.until);
  if (!selected.ok()) return ReportError(selected.status());
  Status inputs = CheckInputsExist(*pipeline, *plan, *selected);
  if (!inputs.ok()) return ReportError(inputs);
  Result<std::string> exe = OwnExecutable();
  if (!exe.ok()) return ReportError(exe.status());
  if (!args.dry_run) {
    Status locked = LockPipelineFolder(*pipeline);
    if (!locked.ok()) return ReportError(locked);
    InstallStopHandlers();
  }

  // Progress lines on stderr (stdout carries only the dry run's plan).
  const auto say = [&](const std::string& line) {
    if (!global.quiet) std::fprintf(stderr, "synthscale: %s\n", line.c_str());
  };
  if (args.dry_run) std::printf("plan for %s (steps run in %s):\n", args.pipeline.c_str(), pipeline->directory.c_str());
  std::vector<StepState> states(pipeline->steps.size(), StepState::kPending);
  int exit_code = kExitOk;
  std::size_t ran = 0;
  std::size_t skipped = 0;
  std::size_t failed = 0;
  std::size_t position = 0;
  for (std::size_t idx : *selected) {
    if (g_stop_signal != 0) {  // arrived between steps: start no other
      say("stopped by signal " + std::to_string(g_stop_signal));
      return 128 + g_stop_signal;
    }
    const Step& step = pipeline->steps[idx];
    ++position;
    const std::string label = "[" + std::to_string(position) + "/" + std::to_string(selected->size()) + "] " +
                              step.name + " (" + StepKindName(step.kind) + ")";
    std::string blocked_by;
    for (std::size_t up : plan->steps[idx].upstream) {
      if (states[up] == StepState::kFailed || states[up] == StepState::kNotRun) blocked_by = pipeline->steps[up].name;
    }
    if (!blocked_by.empty()) {
      states[idx] = StepState::kNotRun;
      say(label + ": not run, upstream step '" + blocked_by + "' did not finish");
      continue;
    }
    Result<Decision> decision = DecideStep(*pipeline, *plan, idx, states, args);
    if (!decision.ok()) return ReportError(decision.status());
    std::vector<std::string> child_args = StepArguments(*pipeline, *plan, idx);
    if (global.quiet) child_args.insert(child_args.begin(), "-q");
    if (args.dry_run) {
      states[idx] = decision->run ? StepState::kRan : StepState::kSkipped;
      std::printf("%-5s %s: %s\n      %s\n", decision->run ? "run" : "skip", step.name.c_str(), decision->why.c_str(),
                  CommandLine(child_args).c_str());
      continue;
    }
    if (!decision->run) {
      states[idx] = StepState::kSkipped;
      ++skipped;
      say(label + ": skipped, " + decision->why);
      continue;
    }
    say(label + ": running (" + decision->why + ")");
    say("$ " + CommandLine(child_args));
    Status prepared = PrepareOutputs(*pipeline, step);
    if (!prepared.ok()) return ReportError(prepared);
    Result<int> code = RunChild(*exe, child_args, pipeline->directory);
    if (!code.ok()) return ReportError(code.status());
    if (*code == 0) {
      Result<StepRecord> record = MakeStepRecord(*pipeline, idx, std::move(*decision->material));
      Status written = record.ok() ? WriteStepRecord(StepRecordPath(*pipeline, step.name), *record) : record.status();
      if (!written.ok()) {
        ReportError(written);
        *code = ExitCodeFor(written.code());
      }
    }
    if (*code != 0) {
      states[idx] = StepState::kFailed;
      ++failed;
      if (exit_code == kExitOk) exit_code = *code;
      say(label + ": failed with exit code " + std::to_string(*code) +
          "; fix it and run again to resume from this step");
      if (g_stop_signal != 0) {
        say("stopped by signal " + std::to_string(g_stop_signal));
        return 128 + g_stop_signal;
      }
      if (!args.keep_going) break;
      continue;
    }
    states[idx] = StepState::kRan;
    ++ran;
    if (g_stop_signal != 0) {
      say("stopped by signal " + std::to_string(g_stop_signal) + " after step '" + step.name + "'");
      return 128 + g_stop_signal;
    }
  }
  if (!args.dry_run) {
    const std::size_t not_run = selected->size() - ran - skipped - failed;
    say("pipeline " + args.pipeline + ": " + std::to_string(ran) + " ran, " + std::to_string(skipped) +
        " up to date, " + std::to_string(failed) + " failed, " + std::to_string(not_run) + " not run");
  }
  return exit_code;
}

}  // namespace

std::vector<Command> AddRunCommands(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* run = app.add_subcommand(
      "run", "Run a pipeline file (ingest, fit, sample, evaluate, mix) as a cached DAG; see docs/pipelines.md");
  run->add_option("pipeline", args->pipeline, "Pipeline file (YAML)")->required();
  run->add_flag("--dry-run", args->dry_run, "Print each step, whether it runs and why, and its command; run nothing");
  run->add_flag("--force", args->force, "Run every selected step even when its cache record is up to date");
  run->add_option("--only", args->only, "Run just this step (its inputs must exist)");
  run->add_option("--until", args->until, "Run this step and the steps it depends on, nothing after");
  run->add_flag("--keep-going", args->keep_going,
                "After a step fails, still run the steps that do not depend on it");
  std::vector<Command> commands{{run, [args, &global] { return RunPipeline(*args, global); }}};
  for (Command& command : AddPipelineStepCommands(app, global)) commands.push_back(std::move(command));
  return commands;
}

}  // namespace synthscale::cli
