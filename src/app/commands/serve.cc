// onestop serve: migrate, optionally load the demo, and serve HTTP until SIGTERM.
#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "app/commands/commands.h"
#include "app/demo.h"
#include "app/logging.h"
#include "app/sweeper.h"
#include "app/wiring.h"
#include "core/text.h"
#include "http/server.h"
#include "http/sms_http_gateway.h"
#include "notify/delivery_worker.h"

namespace onestop::app {
namespace {

struct ServeFlags {
  std::optional<std::string> listen;
  std::optional<std::string> web_root;
  std::optional<int> threads;
  std::optional<std::string> sms_gateway;
  std::optional<std::string> public_url;
  std::optional<std::string> sms_token_file;
  std::optional<std::string> now;
  bool demo = false;
};

// The SMS gateway of `config`: the HTTP gateway when sms_gateway is set, else the log.
Result<std::unique_ptr<notify::SmsGateway>> MakeSmsGateway(const Config& config) {
  if (config.sms_gateway.empty()) {
    spdlog::info("未配置短信网关（--sms-gateway），短信只写入日志");
    return std::unique_ptr<notify::SmsGateway>(std::make_unique<notify::LogSmsGateway>());
  }
  http::SmsHttpOptions options;
  options.url = config.sms_gateway;
  if (!config.sms_token_file.empty()) {
    std::ifstream in(config.sms_token_file);
    if (!in) {
      return InvalidArgument("config.bad_value",
                             "无法读取短信网关令牌文件 " + config.sms_token_file);
    }
    std::stringstream token;
    token << in.rdbuf();
    options.token = std::string(text::TrimSpace(token.str()));
    if (options.token.empty()) {
      return InvalidArgument("config.bad_value",
                             "短信网关令牌文件 " + config.sms_token_file + " 是空的");
    }
  }
  ASSIGN_OR_RETURN(std::unique_ptr<http::SmsHttpGateway> gateway,
                   http::SmsHttpGateway::Create(std::move(options)));
  spdlog::info("短信网关：{}", gateway->Describe());
  return std::unique_ptr<notify::SmsGateway>(std::move(gateway));
}

void PrintDemoAccounts(const std::string& url) {
  std::cout << "\n  OneStop 一网通办 已启动：" << url << "\n\n  演示账号：\n";
  for (const DemoAccount& a : DemoAccounts()) {
    std::cout << "    " << a.username
              << std::string(12 - std::min<std::size_t>(11, a.username.size()), ' ') << a.password
              << "    " << a.role_name << "（" << a.where << "）\n";
  }
  std::cout << std::endl;
}

int Serve(const GlobalFlags& global, const ServeFlags& flags) {
  Result<Config> loaded = LoadConfig(global);
  if (!loaded.has_value()) return Fail(loaded.error());
  Config config = *loaded;
  if (flags.listen) config.listen = *flags.listen;
  if (flags.web_root) config.web_root = *flags.web_root;
  if (flags.threads) config.threads = *flags.threads;
  if (flags.sms_gateway) config.sms_gateway = *flags.sms_gateway;
  if (flags.public_url) config.public_url = *flags.public_url;
  if (flags.sms_token_file) config.sms_token_file = *flags.sms_token_file;
  if (flags.now) config.now = *flags.now;
  config.demo = config.demo || flags.demo;
  if (Result<void> v = Validate(config); !v.has_value()) return Fail(v.error());
  Result<std::unique_ptr<notify::SmsGateway>> sms = MakeSmsGateway(config);
  if (!sms.has_value()) return Fail(sms.error());

  // --now: the clock starts at the given instant and runs from there (training, tests).
  std::optional<ShiftedClock> shifted;
  if (!config.now.empty()) {
    shifted.emplace(*ParseInstant(config.now));
    spdlog::warn("系统时钟已设定为从 {} 开始（--now），仅用于培训和测试", config.now);
  }
  const Clock& clock = shifted ? static_cast<const Clock&>(*shifted) : SystemClock::Instance();
  Result<std::unique_ptr<App>> app = BuildApp(config, clock);
  if (!app.has_value()) return Fail(app.error());
  spdlog::info("数据库：{}", (*app)->db->Describe());
  if (config.demo) {
    Result<bool> loaded_demo = LoadDemo(**app);
    if (!loaded_demo.has_value()) return Fail(loaded_demo.error());
  }
  if ((*app)->context->web_root.empty()) {
    spdlog::warn("未找到前端页面（web/dist），仅提供 API；请先执行 make web 或指定 --web-root");
  } else {
    spdlog::info("前端页面目录：{}", (*app)->context->web_root);
  }

  // Declared after the App, so destroyed (stopped) before the database closes.
  notify::DeliveryWorker delivery(*(*app)->db, (*app)->clock, **sms);
  delivery.Start();
  // 预约提醒 and 未到, overdue 容缺 pledges: every minute.
  Sweeper sweeper((*app)->appointments, (*app)->cases, (*app)->clock);
  sweeper.Start();

  http::ServerOptions options;
  options.listen = config.listen;
  options.threads = config.threads;
  options.max_body_bytes = config.max_body_kb * 1024;
  http::Router& router = (*app)->router;
  http::Server server(options, [&router](http::Request& r) { return router.Handle(r); });
  if (Result<void> started = server.Start(); !started.has_value()) return Fail(started.error());
  server.StopOnSignals();
  std::string url = "http://" + server.LocalAddress();
  spdlog::info("OneStop {} 正在监听 {}", Version(), url);
  if (config.demo) PrintDemoAccounts(url);
  {
    BufferedLogging buffered;  // the access log without a write per request
    server.Run();
  }
  sweeper.Stop();   // waits for the round in progress
  delivery.Stop();  // waits for the round in progress
  spdlog::info("服务已停止");
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& cli, GlobalFlags& global, int& exit_code) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* cmd = cli.add_subcommand("serve", "启动 HTTP 服务（启动时自动执行数据库迁移）");
  cmd->add_option("--listen", flags->listen, "监听地址，默认 127.0.0.1:8080");
  cmd->add_option("--web-root", flags->web_root, "前端页面目录，默认 web/dist");
  cmd->add_option("--threads", flags->threads, "处理请求的线程数，默认 8");
  cmd->add_flag("--demo", flags->demo, "加载演示数据（已加载则跳过）并打印演示账号");
  cmd->add_option("--public-url", flags->public_url,
                  "群众访问本系统的地址（证明二维码指向其 /verify 页），默认 http://监听地址");
  cmd->add_option("--sms-gateway", flags->sms_gateway,
                  "短信网关地址 http://主机:端口/路径；不设置则短信只写入日志");
  cmd->add_option("--sms-token-file", flags->sms_token_file,
                  "存放短信网关令牌（Authorization: Bearer）的文件");
  cmd->add_option("--now", flags->now,
                  "让系统时钟从指定时刻开始走（培训、测试用），如 2026-02-09T09:00:00+08:00");
  cmd->callback([&global, &exit_code, flags] { exit_code = Serve(global, *flags); });
}

}  // namespace onestop::app
