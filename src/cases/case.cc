#include "cases/case.h"

#include <array>
#include <utility>

namespace onestop::cases {
namespace {

template <typename E, std::size_t N>
using Table = std::array<std::pair<E, const char*>, N>;

constexpr Table<Channel, 6> kChannelCodes = {{{Channel::kOnline, "online"},
                                              {Channel::kCounter, "counter"},
                                              {Channel::kKiosk, "kiosk"},
                                              {Channel::kMobile, "mobile"},
                                              {Channel::kAgent, "agent"},
                                              {Channel::kHomeVisit, "home_visit"}}};
constexpr Table<Channel, 6> kChannelNames = {{{Channel::kOnline, "网上办理"},
                                              {Channel::kCounter, "窗口办理"},
                                              {Channel::kKiosk, "自助终端"},
                                              {Channel::kMobile, "移动端"},
                                              {Channel::kAgent, "帮代办"},
                                              {Channel::kHomeVisit, "上门办"}}};
constexpr Table<CaseStatus, 7> kStatusCodes = {{{CaseStatus::kSubmitted, "submitted"},
                                                {CaseStatus::kCorrection, "correction"},
                                                {CaseStatus::kRefused, "refused"},
                                                {CaseStatus::kInProgress, "in_progress"},
                                                {CaseStatus::kCompleted, "completed"},
                                                {CaseStatus::kRejected, "rejected"},
                                                {CaseStatus::kDelivered, "delivered"}}};
constexpr Table<CaseStatus, 7> kStatusNames = {{{CaseStatus::kSubmitted, "待受理"},
                                                {CaseStatus::kCorrection, "待补正"},
                                                {CaseStatus::kRefused, "不予受理"},
                                                {CaseStatus::kInProgress, "办理中"},
                                                {CaseStatus::kCompleted, "已办结"},
                                                {CaseStatus::kRejected, "办理终止"},
                                                {CaseStatus::kDelivered, "已送达"}}};
constexpr Table<AcceptMode, 3> kModeCodes = {{{AcceptMode::kNormal, "normal"},
                                              {AcceptMode::kDeferred, "deferred"},
                                              {AcceptMode::kCommitment, "commitment"}}};
constexpr Table<TaskStatus, 5> kTaskCodes = {{{TaskStatus::kWaiting, "waiting"},
                                              {TaskStatus::kPending, "pending"},
                                              {TaskStatus::kApproved, "approved"},
                                              {TaskStatus::kRejected, "rejected"},
                                              {TaskStatus::kCancelled, "cancelled"}}};
constexpr Table<TaskStatus, 5> kTaskNames = {{{TaskStatus::kWaiting, "等待前置事项"},
                                              {TaskStatus::kPending, "办理中"},
                                              {TaskStatus::kApproved, "已办结"},
                                              {TaskStatus::kRejected, "不予许可"},
                                              {TaskStatus::kCancelled, "已终止"}}};
constexpr Table<DeliveryMethod, 3> kDeliveryCodes = {{{DeliveryMethod::kElectronic, "electronic"},
                                                      {DeliveryMethod::kWindow, "window"},
                                                      {DeliveryMethod::kExpress, "express"}}};

template <typename E, std::size_t N>
const char* Lookup(const Table<E, N>& table, E value) {
  for (const auto& [e, s] : table) {
    if (e == value) return s;
  }
  return "";
}

template <typename E, std::size_t N>
Result<E> Parse(const Table<E, N>& table, std::string_view code, const char* reason,
                const char* what) {
  std::string known;
  for (const auto& [e, s] : table) {
    if (code == s) return e;
    known += (known.empty() ? "" : "、") + std::string(s);
  }
  return InvalidArgument(
      reason, std::string("未知") + what + "“" + std::string(code) + "”，可选：" + known);
}

}  // namespace

const char* ChannelCode(Channel c) { return Lookup(kChannelCodes, c); }
const char* ChannelName(Channel c) { return Lookup(kChannelNames, c); }
Result<Channel> ParseChannel(std::string_view code) {
  return Parse(kChannelCodes, code, "cases.bad_channel", "办理渠道");
}
const char* CaseStatusCode(CaseStatus s) { return Lookup(kStatusCodes, s); }
const char* CaseStatusName(CaseStatus s) { return Lookup(kStatusNames, s); }
Result<CaseStatus> ParseCaseStatus(std::string_view code) {
  return Parse(kStatusCodes, code, "cases.bad_status", "办件状态");
}
const char* AcceptModeCode(AcceptMode m) { return Lookup(kModeCodes, m); }
Result<AcceptMode> ParseAcceptMode(std::string_view code) {
  return Parse(kModeCodes, code, "cases.bad_accept_mode", "受理方式");
}
const char* TaskStatusCode(TaskStatus s) { return Lookup(kTaskCodes, s); }
const char* TaskStatusName(TaskStatus s) { return Lookup(kTaskNames, s); }
Result<TaskStatus> ParseTaskStatus(std::string_view code) {
  return Parse(kTaskCodes, code, "cases.bad_task_status", "任务状态");
}
const char* DeliveryMethodCode(DeliveryMethod m) { return Lookup(kDeliveryCodes, m); }
Result<DeliveryMethod> ParseDeliveryMethod(std::string_view code) {
  return Parse(kDeliveryCodes, code, "cases.bad_delivery", "送达方式");
}

}  // namespace onestop::cases
