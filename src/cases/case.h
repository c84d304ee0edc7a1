// Cases (办件): one application for an item or a bundle, filed once through any channel and
// accepted at any counter (无差别一窗受理); its tasks (one per selected item) run in the order
// of the bundle's dependency edges, in parallel where they can, each against its own clock.
// Plain values; CaseService (case_service.h) enforces the rules.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cases/case_clock.h"
#include "catalog/bundle.h"
#include "core/clock.h"
#include "core/result.h"
#include "core/working_days.h"

namespace onestop::cases {

// 办件渠道. Every case records its channel.
enum class Channel { kOnline, kCounter, kKiosk, kMobile, kAgent, kHomeVisit };

// Case states:
//   submitted ──accept──▶ in_progress ──(all tasks done)──▶ completed ──hand out──▶ delivered
//       │  ╲refuse▶ refused        │  ╲(blocking task rejected)▶ rejected
//       ╰─correct─▶ correction ◀───╯ (a reviewer asks for 补正: the clocks stop)
//                    ╰─resubmit─▶ back to where it came from (submitted / in_progress)
enum class CaseStatus {
  kSubmitted,   // 待受理
  kCorrection,  // 待补正 (clock stopped when it was accepted already)
  kRefused,     // 不予受理
  kInProgress,  // 办理中
  kCompleted,   // 已办结 (result ready for delivery)
  kRejected,    // 不予许可 / 办理终止
  kDelivered,   // 已送达 (applicant confirmed receipt, or handed out at the window)
};

// How a case was accepted.
enum class AcceptMode {
  kNormal,      // 受理
  kDeferred,    // 容缺受理: deferable materials missing, on a written pledge with a due date
  kCommitment,  // 告知承诺: approved on the applicant's commitment, verified afterwards
};

enum class TaskStatus {
  kWaiting,    // 等待前置事项
  kPending,    // 办理中: in its department's queue at `step_index`
  kApproved,   // 已办结
  kRejected,   // 不予许可
  kCancelled,  // 已终止 (a blocking task was rejected, or its prerequisite was)
};

enum class DeliveryMethod { kElectronic, kWindow, kExpress };

const char* ChannelCode(
    Channel c);  // "online", "counter", "kiosk", "mobile", "agent", "home_visit"
const char* ChannelName(Channel c);                   // "网上办理" …
Result<Channel> ParseChannel(std::string_view code);  // kInvalidArgument cases.bad_channel
const char* CaseStatusCode(CaseStatus s);
const char* CaseStatusName(CaseStatus s);
Result<CaseStatus> ParseCaseStatus(std::string_view code);
const char* AcceptModeCode(AcceptMode m);
Result<AcceptMode> ParseAcceptMode(std::string_view code);
const char* TaskStatusCode(TaskStatus s);
const char* TaskStatusName(TaskStatus s);
Result<TaskStatus> ParseTaskStatus(std::string_view code);
const char* DeliveryMethodCode(DeliveryMethod m);
Result<DeliveryMethod> ParseDeliveryMethod(std::string_view code);

// Form values by semantic key; numbers and booleans as text ("3", "true").
using FormValues = std::map<std::string, std::string>;

struct MaterialInput {
  std::string key;          // material key from the plan
  std::string blob_sha256;  // an uploaded blob (BlobStore)
  std::string file_name;    // as the applicant named it (shown only)
};

// One problem the applicant must fix, for the one-time correction notice (一次性告知).
struct CorrectionPoint {
  std::string target;   // a form field key or material key, or "" for the case as a whole
  std::string message;  // what is wrong and what to bring
};

struct Applicant {
  std::string party_id;
  std::string kind;  // "person" / "enterprise"
  std::string name;
  std::string number_masked;  // 身份证号 / 统一社会信用代码, masked
};

struct CaseMaterial {
  std::string key;
  std::string name;
  std::string need;    // catalog::MaterialNeedCode
  std::string status;  // "provided", "pledged" (容缺, due later), "missing"
  std::string blob_sha256, file_name, content_type;
  std::int64_t size = 0;
  std::optional<Date> pledge_due;
  bool pledge_overdue = false;
};

struct Task {
  std::string id;
  std::string item_code;
  int item_version = 0;
  std::string item_name;
  std::string department_id, department_code, department_name;
  TaskStatus status = TaskStatus::kWaiting;
  int step_index = 0;  // index into the item's steps; 0 = 受理, done by the case's acceptance
  int step_count = 0;
  std::string step_name;
  std::string step_role;
  std::vector<std::string> prerequisites;  // task ids
  bool blocking = true;
  std::optional<Millis> started_at_ms, finished_at_ms;
  std::optional<Deadline> deadline;
  int paused_days = 0;
  std::optional<Light> light;  // while pending
  std::string reason;          // of a rejection / return / cancellation
  FormValues mapped;           // fields filled from prerequisites' results
  FormValues result;           // result fields entered on approval
  std::int64_t version = 1;
};

struct TimelineEvent {
  Millis at_ms = 0;
  std::string actor_name;
  std::string kind;  // "submitted", "accepted", "task_started", "task_approved", …
  std::string task_id;
  std::string message;  // Chinese, one line
};

struct Case {
  std::string id;
  std::string receipt_no;  // 受理编号, "" until accepted
  std::string kind;        // "item" / "bundle"
  std::string catalog_code;
  int catalog_version = 0;
  std::string title;  // item or bundle name
  Applicant applicant;
  std::string applicant_user_id;  // the citizen/enterprise account, "" when filed for someone
  Channel channel = Channel::kOnline;
  std::string agent_user_id;        // 帮代办员 or clerk who filed it
  std::string agent_authorisation;  // 委托授权 (agent channel)
  catalog::Answers answers;
  FormValues form;
  CaseStatus status = CaseStatus::kSubmitted;
  std::optional<AcceptMode> accept_mode;
  std::string pledge;  // 容缺 / 告知承诺 text
  std::string intake_department_id;
  std::optional<Millis> submitted_at_ms, accepted_at_ms, finished_at_ms;
  std::optional<Deadline> deadline;
  int limit_working_days = 0;
  int paused_days = 0;
  std::optional<Light> light;  // while in progress
  bool suspended = false;      // in correction after acceptance: the clocks stand still
  std::vector<CorrectionPoint> correction;  // the open notice, if any
  std::string outcome_reason;               // refusal / rejection reason
  DeliveryMethod delivery = DeliveryMethod::kElectronic;
  std::string delivery_address;
  std::string tracking_no;
  std::vector<Task> tasks;
  std::vector<CaseMaterial> materials;
  std::vector<TimelineEvent> timeline;
  std::int64_t version = 1;
};

// A row of a case list or a department queue.
struct CaseSummary {
  std::string id, receipt_no, title, kind, applicant_name;
  Channel channel = Channel::kOnline;
  CaseStatus status = CaseStatus::kSubmitted;
  std::optional<Millis> submitted_at_ms, accepted_at_ms;
  std::optional<Deadline> deadline;
  std::optional<Light> light;
  bool suspended = false;
};

struct QueueEntry {
  std::string case_id, receipt_no, case_title, applicant_name;
  Task task;
  bool suspended = false;
};

}  // namespace onestop::cases
