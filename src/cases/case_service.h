// CaseService: files, accepts and runs cases (办件) — intake through any channel, one-window
// acceptance decisions, the bundle workflow (a task starts by itself when its prerequisites are
// approved), reviewer actions, suspensions for 补正, results delivery. Every change is one
// transaction with its audit entry and timeline event; concurrent actions on one case are
// serialised by the case's version column (a lost race is retried by store::Transact and then
// sees the new state).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "calendar/calendar_service.h"
#include "cases/case.h"
#include "catalog/catalog_service.h"
#include "identity/identity_service.h"
#include "identity/principal.h"
#include "store/db.h"

namespace onestop::cases {

struct Submission {
  std::string kind;  // "item" / "bundle"
  std::string catalog_code;
  catalog::Answers answers;  // bundles only
  FormValues form;
  std::vector<MaterialInput> materials;
  Channel channel = Channel::kOnline;
  // Staff intake: the registered person or enterprise applying. Citizens and enterprises apply
  // for themselves (their own party; this must be empty or equal to it).
  std::string applicant_party_id;
  std::string agent_authorisation;  // required for the agent channel: 委托书 reference and scope
  DeliveryMethod delivery = DeliveryMethod::kElectronic;
  std::string delivery_address;  // required for express
};

struct AcceptInput {
  AcceptMode mode = AcceptMode::kNormal;
  std::string pledge;  // 容缺 / 告知承诺: the applicant's written pledge (≥ 4 characters)
  std::optional<Date> pledge_due;  // 容缺: when the missing materials are due (a future date)
};

struct CaseFilter {
  std::optional<CaseStatus> status;
  std::string q;  // receipt number, title or applicant name fragment
  int offset = 0;
  int limit = 20;
};

struct CasePage {
  std::vector<CaseSummary> items;
  std::int64_t total = 0;
};

struct CaseRecord;  // a case as loaded for a change (case_service.cc)

// What the result issuer (SetResultIssuer) gets when a case item is approved at its last step
// and the catalogue item names an electronic licence type as its result (result.licenceType).
struct ItemApproved {
  const identity::Principal* reviewer = nullptr;
  std::string case_id, task_id, item_code, item_name;
  std::string licence_type;  // the catalogue item's result.licence_type
  Applicant applicant;       // party_id, kind, name
  FormValues form;           // the case's form values
  FormValues result;         // the result fields entered on approval
};
using ResultIssuer = std::function<Result<void>(store::Tx&, const ItemApproved&)>;

struct Options {
  int yellow_days = 1;  // yellow light this many working days before a deadline
};

class CaseService {
 public:
  CaseService(store::Db& db, const Clock& clock, const audit::AuditLog& audit,
              calendar::CalendarService& calendar, catalog::CatalogService& catalog,
              identity::IdentityServices& identity, Options options = {});

  // Files a case. Citizens/enterprises (cases.apply) file for themselves online, on mobile or
  // at a kiosk; staff (cases.intake) file at the counter, kiosk, as agent (with the
  // authorisation) or on a home visit for a registered party. The form is checked against the
  // item's fields or the bundle's merged form (field errors in Chinese); materials must be
  // known keys of the plan and uploaded blobs. Status submitted.
  // Errors: kInvalidArgument cases.invalid_submission (with fields), cases.bad_channel;
  // kNotFound cases.no_such_party, catalog errors; kPermissionDenied.
  Result<Case> Submit(const identity::Principal& actor, const Submission& submission);

  // 受理 at any counter (无差别一窗受理, cases.intake): assigns the receipt number, starts the
  // clocks and the tasks without prerequisites. Every required material must be there; a
  // missing deferable one needs mode deferred with a pledge and due date; commitment needs
  // items that allow 告知承诺 and approves them at once, leaving a verification note.
  // kFailedPrecondition cases.wrong_state, cases.materials_missing (fields name them),
  // cases.commitment_not_allowed; kInvalidArgument cases.invalid_pledge.
  Result<Case> Accept(const identity::Principal& actor, const std::string& case_id,
                      const AcceptInput& input);
  // 不予受理 with a reason (2–500 characters). kFailedPrecondition cases.wrong_state.
  Result<Case> Refuse(const identity::Principal& actor, const std::string& case_id,
                      const std::string& reason);
  // 一次性告知补正: every problem at once. Before acceptance by a counter clerk; after
  // acceptance by a reviewer who has a pending task of the case in scope (the clocks stop).
  // kInvalidArgument cases.invalid_correction (no points, or a point without a message).
  Result<Case> RequestCorrection(const identity::Principal& actor, const std::string& case_id,
                                 const std::vector<CorrectionPoint>& points);
  // The applicant (or staff on their behalf) resubmits: form values and materials replace
  // what was there; the notice closes; a suspended case's clocks restart, extended by the
  // working days they stood still.
  Result<Case> Resubmit(const identity::Principal& actor, const std::string& case_id,
                        const FormValues& form, const std::vector<MaterialInput>& materials);

  // Attaches one material to a case in 待受理 or 待补正 (cases.intake, or the applicant), e.g.
  // a licence copy retrieved under the holder's grant (免证办); `note` goes to the timeline and
  // `within` runs in the same transaction (the caller's bookkeeping and audit).
  // kInvalidArgument cases.invalid_submission (unknown material key, no such blob);
  // kFailedPrecondition cases.wrong_state; kNotFound cases.not_found.
  Result<Case> AttachMaterial(
      const identity::Principal& actor, const std::string& case_id, const MaterialInput& material,
      const std::string& note,
      const std::function<Result<void>(store::Tx&, const Case&)>& within = nullptr);

  // Reviewer actions on a pending task in the actor's scope (cases.review, role of the step).
  // Approve moves to the next step; after the last step the task is approved with its result
  // fields (all of the item's result fields are required), dependants whose prerequisites
  // are all approved start, with mapped fields filled in. The case completes when no task is
  // pending or waiting. kFailedPrecondition cases.wrong_state, cases.case_suspended;
  // kInvalidArgument cases.result_missing.
  Result<Case> Approve(const identity::Principal& actor, const std::string& task_id,
                       const std::string& comment, const FormValues& result);
  // Rejects the task (reason 2–500 characters). A blocking task ends the case (rejected; the
  // other open tasks are cancelled); otherwise its dependants are cancelled and the rest go on.
  Result<Case> Reject(const identity::Principal& actor, const std::string& task_id,
                      const std::string& reason);
  // Sends the task back to its previous step. kFailedPrecondition cases.cannot_return at the
  // first review step (use RequestCorrection to go back to the applicant).
  Result<Case> Return(const identity::Principal& actor, const std::string& task_id,
                      const std::string& reason);

  // 统一窗口出件: a counter clerk hands out the result (window) or records the express
  // tracking number; an electronic result needs no hand-out. kFailedPrecondition
  // cases.wrong_state, cases.tracking_required.
  Result<Case> HandOut(const identity::Principal& actor, const std::string& case_id,
                       const std::string& tracking_no);
  // The applicant confirms receipt: delivered.
  Result<Case> ConfirmReceipt(const identity::Principal& actor, const std::string& case_id);

  // A case the actor may see: their own (applicant account), or one whose intake or task
  // department is in the staff actor's scope (cases.read). Lights at the clock's now.
  // kNotFound cases.not_found also when out of scope (no existence leak).
  Result<Case> Get(const identity::Principal& actor, const std::string& case_id);
  // Own cases for citizens/enterprises; cases in scope for staff.
  Result<CasePage> List(const identity::Principal& actor, const CaseFilter& filter);
  // Pending tasks of the actor's departments (cases.review), most urgent first.
  Result<std::vector<QueueEntry>> Queue(const identity::Principal& actor);

  // Installs the function that issues an approved item's result licence inside the approval's
  // transaction (an error rolls the approval back). Set once at wiring, before serving.
  void SetResultIssuer(ResultIssuer issuer) { result_issuer_ = std::move(issuer); }

  // Marks 容缺 pledges past their due date as overdue (flag on the case material and a
  // timeline event, once each). Returns how many were flagged. For the scheduler and tests.
  Result<int> FlagOverduePledges();

 private:
  struct Blueprint;
  // What an application consists of: the item, or the bundle's plan for `answers` (with the
  // items at `pinned` versions when given, else the current ones).
  Result<Blueprint> BlueprintOf(const std::string& kind, const std::string& code, int version,
                                const catalog::Answers& answers,
                                const std::map<std::string, int>& pinned);
  template <typename F>
  Result<Case> Change(const identity::Principal& actor, const std::string& case_id,
                      const std::string& action, F&& change);
  bool CanSee(const identity::Principal& actor, const CaseRecord& rec) const;
  Result<std::string> CaseOfTask(const std::string& task_id);

  store::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  calendar::CalendarService& calendar_;
  catalog::CatalogService& catalog_;
  identity::IdentityServices& identity_;
  Options options_;
  ResultIssuer result_issuer_;
};

}  // namespace onestop::cases
