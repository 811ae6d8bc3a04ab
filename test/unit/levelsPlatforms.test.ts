import assert from 'node:assert/strict';
import { LineTagger } from '../../src/host/lineTagger';
import { composePrefixLength } from '../../src/shared/muxPrefix';
import type { LogLevel } from '../../src/shared/protocol';

/**
 * Level rows for the JVM, .NET, PHP, Rust, Elixir, Nest, Celery, databases, compilers, linters,
 * test runners and Docker Compose (src/host/levelRulesPlatforms.ts): real lines as those tools
 * print them, each source's in order through one stream's tagger.
 */
const table: Record<string, [LogLevel, string][]> = {
  'winston simple and cli formats, consola, console.trace': [
    ['ERROR', 'error: db down'],
    ['WARN', '\x1b[33mwarn\x1b[39m: disk space low'],
    ['DEBUG', 'debug: cache miss for user:7'],
    ['INFO', 'info: listening on 3000'],
    ['WARN', ' WARN  disk space low'],
    ['ERROR', ' ERROR  charge failed'],
    ['WARN', '[warn] disk space low'],
    ['ERROR', '[error] charge failed'],
    ['DEBUG', '→ trace detail'],
    ['DEBUG', 'Trace: where am I'],
  ],
  'Spring Boot 3.x default console pattern': [
    [
      'INFO',
      '2026-12-02T12:00:00.123Z  INFO 12345 --- [           main] com.example.demo.DemoApplication         : Starting DemoApplication using Java 21.0.5 with PID 12345 (/app/target/classes started by dev in /app)',
    ],
    [
      'INFO',
      '2026-12-02T12:00:01.234Z  INFO 12345 --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat initialized with port 8080 (http)',
    ],
    [
      'WARN',
      '2026-12-02T12:00:01.500Z  WARN 12345 --- [           main] JpaBaseConfiguration$JpaWebConfiguration : spring.jpa.open-in-view is enabled by default. Therefore, database queries may be performed during view rendering. Explicitly configure spring.jpa.open-in-view to disable this warning',
    ],
    ['WARN', '2026-12-02T12:00:00.123Z  WARN 12345 --- [main] o.s.b.w.e.tomcat.TomcatWebServer : Unable to start web server'],
    [
      'DEBUG',
      "2026-12-02T12:00:02.100Z DEBUG 12345 --- [           main] o.s.web.servlet.DispatcherServlet        : enableLoggingRequestDetails='false': request parameters and headers will be masked to prevent unsafe logging of potentially sensitive data",
    ],
    [
      'DEBUG',
      "2026-12-02T12:00:02.200Z TRACE 12345 --- [           main] o.s.b.f.s.DefaultListableBeanFactory     : Creating shared instance of singleton bean 'dataSource'",
    ],
    [
      'ERROR',
      '2026-12-02T12:00:03.000Z ERROR 12345 --- [           main] o.s.boot.SpringApplication               : Application run failed',
    ],
    [
      'INFO',
      '2026-12-02T12:00:00.123+01:00  INFO 12345 --- [demo] [           main] c.e.demo.DemoApplication                 : Started DemoApplication in 1.234 seconds (process running for 1.5)',
    ],
    [
      'WARN',
      '2026-12-02T12:00:00.123+01:00  WARN 12345 --- [demo] [           main] o.h.e.j.e.i.JdbcEnvironmentInitiator     : HHH000342: Could not obtain connection to query metadata',
    ],
    [
      'WARN',
      '2026-12-02T12:00:05.000Z  WARN 12345 --- [           main] o.h.engine.jdbc.spi.SqlExceptionHelper   : SQL Error: 0, SQLState: 08001',
    ],
    [
      'ERROR',
      '2026-12-02T12:00:05.001Z ERROR 12345 --- [           main] o.h.engine.jdbc.spi.SqlExceptionHelper   : Connection to localhost:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.',
    ],
    [
      'INFO',
      '2026-12-02T12:00:06.000Z  INFO 12345 --- [           main] c.e.demo.Retry                           : retrying after ERROR from upstream',
    ],
  ],
  'Spring Boot 2.x default console pattern': [
    [
      'INFO',
      "2026-12-02 12:00:00.123  INFO 12345 --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat started on port(s): 8080 (http) with context path ''",
    ],
    [
      'WARN',
      '2026-12-02 12:00:00.456  WARN 12345 --- [           main] o.s.b.a.orm.jpa.DatabaseLookup           : Unable to determine jdbc url from datasource',
    ],
    [
      'ERROR',
      '2026-12-02 12:00:00.789 ERROR 12345 --- [           main] o.s.boot.SpringApplication               : Application run failed',
    ],
  ],
  'logback without Spring': [
    ['INFO', '12:00:00.123 [main] INFO  com.example.App -- Server started on port 8080'],
    ['WARN', '12:00:00.124 [main] WARN  com.example.App -- Config file not found, using defaults'],
    ['ERROR', '12:00:00.125 [main] ERROR com.example.App -- Failed to connect to database'],
    ['DEBUG', '12:00:00.126 [main] DEBUG com.example.App -- Pool size 10'],
  ],
  Tomcat: [
    [
      'INFO',
      '02-Dec-2026 12:00:00.123 INFO [main] org.apache.catalina.startup.VersionLoggerListener.log Server version name:   Apache Tomcat/10.1.16',
    ],
    [
      'WARN',
      '02-Dec-2026 12:00:00.456 WARNING [main] org.apache.tomcat.util.digester.SetPropertiesRule.begin Match [Server/Service/Engine/Host] failed to set property [xmlValidation] to [false]',
    ],
    [
      'ERROR',
      '02-Dec-2026 12:00:01.000 SEVERE [main] org.apache.catalina.core.StandardService.initInternal Failed to initialize connector [Connector["http-nio-8080"]]',
    ],
    ['INFO', 'Dec 02, 2026 12:00:00 PM com.example.App main'],
    ['ERROR', 'SEVERE: Failed to start server'],
    ['WARN', 'WARNING: Illegal reflective access by com.example.Lib (file:/app/lib.jar) to field java.lang.String.value'],
  ],
  'zap production': [
    ['INFO', '{"level":"info","ts":1764676800.1234567,"caller":"app/main.go:18","msg":"server started","addr":":8080"}'],
    ['WARN', '{"level":"warn","ts":1764676801.2345678,"caller":"app/main.go:30","msg":"slow request","path":"/x","latency":1.2}'],
    [
      'ERROR',
      '{"level":"error","ts":1764676802.3456789,"caller":"app/handler.go:42","msg":"failed to fetch URL","url":"http://example.com","attempt":3,"stacktrace":"main.handler\\n\\t/app/handler.go:42\\nnet/http.HandlerFunc.ServeHTTP\\n\\t/usr/local/go/src/net/http/server.go:2220"}',
    ],
    [
      'ERROR',
      '{"level":"dpanic","ts":1764676803.456789,"caller":"app/main.go:50","msg":"invariant broken","stacktrace":"main.main\\n\\t/app/main.go:50"}',
    ],
    [
      'ERROR',
      '{"level":"fatal","ts":1764676804.5678901,"caller":"app/main.go:60","msg":"cannot listen","error":"listen tcp :8080: bind: address already in use"}',
    ],
    ['DEBUG', '{"level":"debug","ts":1764676805.0,"caller":"app/main.go:19","msg":"config loaded","path":"config.yaml"}'],
  ],
  'zap development': [
    ['INFO', '2026-12-02T12:00:00.000Z\tINFO\tapp/main.go:18\tserver started\t{"addr": ":8080"}'],
    ['DEBUG', '2026-12-02T12:00:00.001Z\tDEBUG\tapp/main.go:19\tconfig loaded\t{"path": "config.yaml"}'],
    ['ERROR', '2026-12-02T12:00:00.002+0100\tDPANIC\tapp/main.go:50\tinvariant broken'],
    [
      'ERROR',
      '2026-12-02T12:00:00.003Z\tFATAL\tapp/main.go:60\tcannot listen\t{"error": "listen tcp :8080: bind: address already in use"}',
    ],
  ],
  'go build / go run compile errors': [
    ['INFO', '# example.com/app'],
    ['ERROR', './main.go:10:2: undefined: foo'],
    ['ERROR', './main.go:12:9: cannot use "x" (untyped string constant) as int value in return statement'],
  ],
  'Rust env_logger default format': [
    ['INFO', '[2026-12-02T12:00:00Z INFO  my_app] starting server on 127.0.0.1:8080'],
    ['WARN', '[2026-12-02T12:00:00Z WARN  my_app::config] no config file found, using defaults'],
    ['ERROR', '[2026-12-02T12:00:00Z ERROR my_app] failed to connect to database: Connection refused (os error 111)'],
    ['DEBUG', '[2026-12-02T12:00:00Z DEBUG hyper::proto::h1::io] flushed 123 bytes'],
    ['DEBUG', '[2026-12-02T12:00:00Z TRACE mio::poll] registering event source with poller'],
    ['INFO', '[2026-12-02T12:00:00Z INFO  actix_server::builder] starting 2 workers'],
    ['ERROR', '[2026-12-02T12:00:00Z INFO  actix_web::middleware::logger] 127.0.0.1 "GET /boom HTTP/1.1" 500 0 "-" "curl/8.4.0" 0.000512'],
    ['WARN', '[2026-12-02T12:00:00Z INFO  actix_web::middleware::logger] 127.0.0.1 "GET /nope HTTP/1.1" 404 0 "-" "curl/8.4.0" 0.000210'],
  ],
  'Rust tracing-subscriber fmt default': [
    ['INFO', '2026-12-02T12:00:00.123456Z  INFO my_app: listening on 0.0.0.0:3000'],
    ['WARN', '2026-12-02T12:00:00.123456Z  WARN my_app: config file missing, using defaults'],
    ['ERROR', '2026-12-02T12:00:00.123456Z ERROR my_app::db: query failed error=connection refused'],
    [
      'DEBUG',
      '2026-12-02T12:00:00.123456Z DEBUG request{method=GET uri=/ version=HTTP/1.1}: tower_http::trace::on_request: started processing request',
    ],
    [
      'DEBUG',
      '2026-12-02T12:00:00.123456Z TRACE hyper::proto::h1::conn: flushed({role=server}): State { reading: Init, writing: Init, keep_alive: Idle }',
    ],
    [
      'ERROR',
      '2026-12-02T12:00:00.123456Z ERROR request{method=GET uri=/boom version=HTTP/1.1}: tower_http::trace::on_failure: response failed classification=Status code: 500 Internal Server Error latency=0 ms',
    ],
    [
      'WARN',
      '\x1b[2m2026-12-02T12:00:00.123456Z\x1b[0m \x1b[33m WARN\x1b[0m \x1b[2mmy_app::db\x1b[0m\x1b[2m:\x1b[0m slow query elapsed_ms=1200',
    ],
  ],
  'cargo run / cargo watch: rustc diagnostics': [
    ['INFO', '   Compiling my_app v0.1.0 (/app)'],
    ['WARN', 'warning: unused variable: `y`'],
    ['ERROR', 'error[E0425]: cannot find value `x` in this scope'],
    ['WARN', 'warning: `my_app` (bin "my_app") generated 1 warning'],
    ['ERROR', 'error: could not compile `my_app` (bin "my_app") due to 1 previous error; 1 warning emitted'],
  ],
  'Ruby uncaught exception': [['ERROR', "/app/app.rb:3:in `/': divided by 0 (ZeroDivisionError)"]],
  'PHP built-in server': [
    ['INFO', '[Wed Dec  2 12:00:00 2026] PHP 8.3.14 Development Server (http://localhost:8000) started'],
    ['INFO', '[Wed Dec  2 12:00:01 2026] 127.0.0.1:54321 Accepted'],
    ['INFO', '[Wed Dec  2 12:00:01 2026] 127.0.0.1:54321 [200]: GET /'],
    ['INFO', '[Wed Dec  2 12:00:01 2026] 127.0.0.1:54321 Closing'],
    ['WARN', '[Wed Dec  2 12:00:02 2026] 127.0.0.1:54322 [404]: GET /x - No such file or directory'],
    ['INFO', '[Wed Dec  2 12:00:03 2026] 127.0.0.1:54323 [200]: GET /api/errors'],
    ['WARN', '[Wed Dec  2 12:00:04 2026] PHP Warning:  Undefined variable $x in /app/index.php on line 3'],
    [
      'WARN',
      '[Wed Dec  2 12:00:04 2026] PHP Deprecated:  strlen(): Passing null to parameter #1 ($string) of type string is deprecated in /app/index.php on line 4',
    ],
    ['ERROR', '[Wed Dec  2 12:00:05 2026] PHP Parse error:  syntax error, unexpected token "}" in /app/index.php on line 5'],
    ['ERROR', '[Wed Dec  2 12:00:06 2026] 127.0.0.1:54324 [500]: GET /boom'],
  ],
  'PHP CLI': [
    ['ERROR', 'PHP Fatal error:  Uncaught Error: Call to undefined function foo() in /app/x.php:3'],
    ['WARN', 'PHP Warning:  file_get_contents(/nope): Failed to open stream: No such file or directory in /app/x.php on line 5'],
    ['WARN', 'PHP Deprecated:  Creation of dynamic property Foo::$bar is deprecated in /app/x.php on line 9'],
  ],
  'php-fpm': [
    ['INFO', '[02-Dec-2026 12:00:00] NOTICE: fpm is running, pid 1'],
    ['INFO', '[02-Dec-2026 12:00:00] NOTICE: ready to handle connections'],
    ['WARN', '[02-Dec-2026 12:00:05] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it'],
    [
      'WARN',
      '[02-Dec-2026 12:00:06] WARNING: [pool www] child 12 said into stderr: "NOTICE: PHP message: PHP Warning:  Undefined variable $x in /var/www/html/index.php on line 3"',
    ],
    ['ERROR', "[02-Dec-2026 12:00:07] ERROR: unable to bind listening socket for address '9000': Address already in use (98)"],
    ['ERROR', '172.18.0.3 -  02/Dec/2026:12:00:08 +0000 "GET /index.php" 500'],
    ['INFO', '172.18.0.3 -  02/Dec/2026:12:00:09 +0000 "GET /index.php" 200'],
  ],
  Monolog: [
    ['WARN', '[2026-12-02 12:00:00] local.WARNING: Cache miss for key users'],
    ['INFO', '[2026-12-02 12:00:00] local.INFO: User 7 logged in'],
    [
      'ERROR',
      '[2026-12-02 12:00:00] local.ERROR: Undefined variable $x {"exception":"[object] (ErrorException(code: 0): Undefined variable $x at /var/www/html/routes/web.php:5)"}',
    ],
    [
      'ERROR',
      '[2026-12-02T12:00:00.123456+00:00] request.CRITICAL: Uncaught PHP Exception RuntimeException: "boom" at /app/src/Controller/HomeController.php line 15 {"exception":"[object] (RuntimeException(code: 0): boom at /app/src/Controller/HomeController.php:15)"} []',
    ],
    ['INFO', '[2026-12-02T12:00:00.123456+00:00] request.INFO: Matched route "app_home". {"route":"app_home","method":"GET"} []'],
  ],
  'Laravel artisan serve': [
    ['INFO', '   INFO  Server running on [http://127.0.0.1:8000].'],
    ['INFO', '  Press Ctrl+C to stop the server'],
    ['ERROR', '   ERROR  Command "serv" is not defined. Did you mean one of these?'],
  ],
  'ASP.NET Core console logger': [
    ['INFO', 'info: Microsoft.Hosting.Lifetime[14]'],
    ['INFO', 'info: Microsoft.Hosting.Lifetime[0]'],
    ['WARN', 'warn: Microsoft.AspNetCore.HttpsPolicy.HttpsRedirectionMiddleware[3]'],
    ['ERROR', 'fail: Microsoft.AspNetCore.Diagnostics.DeveloperExceptionPageMiddleware[1]'],
    ['ERROR', 'crit: Microsoft.AspNetCore.Server.Kestrel[0]'],
    ['DEBUG', 'dbug: Microsoft.EntityFrameworkCore.Infrastructure[10403]'],
    ['INFO', 'info: Microsoft.AspNetCore.Hosting.Diagnostics[2]'],
  ],
  'dotnet build / dotnet watch': [
    ['ERROR', "/app/Program.cs(9,13): error CS0103: The name 'foo' does not exist in the current context [/app/app.csproj]"],
    [
      'WARN',
      "/app/Models/User.cs(5,19): warning CS8618: Non-nullable property 'Name' must contain a non-null value when exiting constructor. Consider adding the 'required' modifier or declaring the property as nullable. [/app/app.csproj]",
    ],
    ['ERROR', 'Build FAILED.'],
    ['INFO', 'Build succeeded.'],
    ['INFO', '    0 Warning(s)'],
    ['INFO', '    0 Error(s)'],
  ],
  'Apache httpd': [
    ['INFO', "[Wed Dec 02 12:00:00.123456 2026] [core:notice] [pid 1:tid 140234] AH00094: Command line: 'httpd -D FOREGROUND'"],
    [
      'ERROR',
      '[Wed Dec 02 12:00:05.123456 2026] [php:error] [pid 12] [client 172.18.0.1:54321] PHP Fatal error:  Uncaught Error: Call to undefined function foo() in /var/www/html/index.php:3',
    ],
    [
      'WARN',
      '[Wed Dec 02 12:00:05.123456 2026] [php:warn] [pid 12] [client 172.18.0.1:54321] PHP Warning:  Undefined variable $x in /var/www/html/index.php on line 3',
    ],
    [
      'ERROR',
      '[Wed Dec 02 12:00:06.123456 2026] [authz_core:error] [pid 13:tid 140235] [client 172.18.0.1:54322] AH01630: client denied by server configuration: /usr/local/apache2/htdocs/secret',
    ],
    ['ERROR', '[Wed Dec 02 12:00:00 2026] [error] [client 127.0.0.1] File does not exist: /var/www/favicon.ico'],
    ['WARN', '[Wed Dec 02 12:00:00 2026] [warn] NameVirtualHost *:80 has no VirtualHosts'],
    ['ERROR', '172.18.0.1 - - [02/Dec/2026:12:00:00 +0000] "GET /cgi-bin/x HTTP/1.1" 500 528'],
    ['WARN', '::1 - - [02/Dec/2026:12:00:00 +0000] "-" 408 -'],
  ],
  'Docker Compose v2 prefixed output': [
    ['INFO', 'Attaching to db-1, web-1'],
    ['INFO', 'db-1   | 2026-12-02 12:00:00.123 UTC [1] LOG:  database system is ready to accept connections'],
    ['ERROR', 'db-1   | 2026-12-02 12:00:01.456 UTC [27] ERROR:  relation "users" does not exist at character 15'],
    ['ERROR', 'db-1   | 2026-12-02 12:00:02.789 UTC [28] FATAL:  password authentication failed for user "postgres"'],
    ['WARN', "web-1  | WARNING:  StatReloader detected changes in 'main.py'. Reloading..."],
    ['ERROR', 'web-1  | INFO:     172.18.0.1:54321 - "GET /boom HTTP/1.1" 500 Internal Server Error'],
    ['WARN', 'web-1  | 2026-12-02 12:00:03,123 - app - WARNING - retrying'],
    ['INFO', 'web-1  | INFO:     172.18.0.1:54322 - "GET / HTTP/1.1" 200 OK'],
    ['ERROR', 'web-1 exited with code 1'],
  ],
  PostgreSQL: [
    ['INFO', '2026-12-02 12:00:00.123 UTC [1] LOG:  database system is ready to accept connections'],
    ['ERROR', '2026-12-02 12:00:01.456 UTC [27] ERROR:  relation "users" does not exist at character 15'],
    ['ERROR', '2026-12-02 12:00:02.789 UTC [28] FATAL:  password authentication failed for user "postgres"'],
    ['WARN', '2026-12-02 12:00:03.000 UTC [1] WARNING:  could not open statistics file "pg_stat_tmp/global.stat": Operation not permitted'],
  ],
  'Redis, MySQL 8, MongoDB': [
    ['INFO', '1:C 02 Dec 2026 12:00:00.123 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo'],
    [
      'WARN',
      '1:C 02 Dec 2026 12:00:00.123 # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf',
    ],
    ['INFO', '1:M 02 Dec 2026 12:00:00.124 * Ready to accept connections tcp'],
    [
      'WARN',
      '1:M 02 Dec 2026 12:00:00.124 # WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition.',
    ],
    [
      'INFO',
      "2026-12-02T12:00:00.123456Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.4.0'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.",
    ],
    [
      'WARN',
      "2026-12-02T12:00:00.123456Z 0 [Warning] [MY-011810] [Server] Insecure configuration for --pid-file: Location '/var/run/mysqld' in the path is accessible to all OS users. Consider choosing a different directory.",
    ],
    ['ERROR', "2026-12-02T12:00:00.123456Z 0 [ERROR] [MY-010262] [Server] Can't start server: Bind on TCP/IP port: Address already in use"],
    [
      'INFO',
      '{"t":{"$date":"2026-12-02T12:00:00.123+00:00"},"s":"I",  "c":"NETWORK",  "id":23016,   "ctx":"listener","msg":"Waiting for connections","attr":{"port":27017,"ssl":"off"}}',
    ],
    [
      'WARN',
      '{"t":{"$date":"2026-12-02T12:00:00.123+00:00"},"s":"W",  "c":"CONTROL",  "id":22120,   "ctx":"initandlisten","msg":"Access control is not enabled for the database. Read and write access to data and configuration is unrestricted","tags":["startupWarnings"]}',
    ],
    [
      'ERROR',
      '{"t":{"$date":"2026-12-02T12:00:00.123+00:00"},"s":"E",  "c":"NETWORK",  "id":23024,   "ctx":"initandlisten","msg":"Failed to unlink socket file","attr":{"path":"/tmp/mongodb-27017.sock","error":"Operation not permitted"}}',
    ],
  ],
  'Celery worker': [
    ['INFO', ' -------------- celery@web v5.4.0 (opalescent)'],
    ['INFO', '[2026-12-02 12:00:00,456: INFO/MainProcess] Connected to redis://localhost:6379/0'],
    ['INFO', '[2026-12-02 12:00:00,789: INFO/MainProcess] celery@web ready.'],
    ['INFO', '[2026-12-02 12:00:01,000: INFO/MainProcess] Task tasks.add[8c1e5a2e-3f1b-4d6e-9a51-0c7c2f1b9d10] received'],
    [
      'INFO',
      '[2026-12-02 12:00:01,010: INFO/ForkPoolWorker-1] Task tasks.add[8c1e5a2e-3f1b-4d6e-9a51-0c7c2f1b9d10] succeeded in 0.0009s: 3',
    ],
    ['DEBUG', '[2026-12-02 12:00:00,001: DEBUG/MainProcess] | Worker: Preparing bootsteps.'],
    [
      'WARN',
      '[2026-12-02 12:00:00,100: WARNING/MainProcess] /usr/local/lib/python3.12/site-packages/celery/worker/consumer/consumer.py:507: CPendingDeprecationWarning: The broker_connection_retry configuration setting will no longer determine',
    ],
    [
      'ERROR',
      '[2026-12-02 12:00:02,000: ERROR/MainProcess] consumer: Cannot connect to redis://localhost:6379/0: Error 111 connecting to localhost:6379. Connection refused..',
    ],
    ['ERROR', "[2026-12-02 12:00:03,000: CRITICAL/MainProcess] Unrecoverable error: RuntimeError('boom')"],
  ],
  'Nest.js ConsoleLogger': [
    ['INFO', '[Nest] 12345  - 12/02/2026, 12:00:00 PM     LOG [NestFactory] Starting Nest application...'],
    ['INFO', '[Nest] 12345  - 12/02/2026, 12:00:00 PM     LOG [RoutesResolver] ErrorsController {/api/errors}: +3ms'],
    ['INFO', '[Nest] 12345  - 12/02/2026, 12:00:00 PM     LOG [RouterExplorer] Mapped {/api/errors, GET} route +2ms'],
    ['INFO', '[Nest] 12345  - 12/02/2026, 12:00:00 PM     LOG [NestApplication] Nest application successfully started +4ms'],
    ['WARN', '[Nest] 12345  - 12/02/2026, 12:00:01 PM    WARN [AppService] Cache is disabled'],
    ['DEBUG', '[Nest] 12345  - 12/02/2026, 12:00:01 PM   DEBUG [AppService] cache miss user:7'],
    ['DEBUG', '[Nest] 12345  - 12/02/2026, 12:00:01 PM VERBOSE [AppService] entering getUser'],
    ['ERROR', '[Nest] 12345  - 12/02/2026, 12:00:03 PM   FATAL [Bootstrap] Cannot start: port 3000 in use'],
    ['ERROR', '[Nest] 12345  - 12/02/2026, 12:00:03 PM   ERROR [TypeOrmModule] Unable to connect to the database. Retrying (1)...'],
  ],
  'React 18 SSR dev warning': [['WARN', 'Warning: Each child in a list should have a unique "key" prop.']],
  'ESLint stylish formatter': [
    ['INFO', '/app/src/index.js'],
    ['ERROR', "  1:10  error    'foo' is defined but never used  no-unused-vars"],
    ['WARN', '  3:1   warning  Unexpected console statement     no-console'],
    ['ERROR', '✖ 2 problems (1 error, 1 warning)'],
    ['INFO', '  0 errors and 1 warning potentially fixable with the `--fix` option.'],
    ['WARN', '✖ 1 problem (0 errors, 1 warning)'],
  ],
  Jest: [
    ['INFO', ' PASS  src/utils.test.ts'],
    ['ERROR', ' FAIL  src/sum.test.js'],
    ['ERROR', '  ● sum › adds 1 + 2 to equal 3'],
    ['ERROR', '  ● Test suite failed to run'],
    ['INFO', '  ● Console'],
    ['ERROR', 'Test Suites: 1 failed, 1 passed, 2 total'],
    ['ERROR', 'Tests:       1 failed, 3 passed, 4 total'],
    ['INFO', 'Tests:       4 passed, 4 total'],
    ['INFO', 'Snapshots:   0 total'],
    ['INFO', 'Ran all test suites.'],
  ],
  Vitest: [
    ['INFO', ' ✓ src/utils.test.ts (3 tests) 2ms'],
    ['ERROR', ' ❯ src/sum.test.ts (2 tests | 1 failed) 6ms'],
    ['ERROR', '   × adds 1 + 2 to equal 3 4ms'],
    ['ERROR', '⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1 ⎯⎯⎯⎯⎯⎯⎯'],
    ['ERROR', ' FAIL  src/sum.test.ts > sum > adds 1 + 2 to equal 3'],
    ['ERROR', 'AssertionError: expected 3 to be 4 // Object.is equality'],
    ['ERROR', ' Test Files  1 failed | 1 passed (2)'],
    ['ERROR', '      Tests  1 failed | 3 passed (4)'],
    ['INFO', ' Test Files  3 passed (3)'],
    ['INFO', '      Tests  12 passed (12)'],
    ['INFO', '   Duration  412ms (transform 35ms, setup 0ms, collect 40ms, tests 6ms, environment 0ms, prepare 70ms)'],
  ],
  Deno: [
    ['INFO', 'Task start deno run -A --watch=static/,routes/ dev.ts'],
    ['INFO', 'Watcher Process started.'],
    ['INFO', 'Listening on http://0.0.0.0:8000/'],
    ['INFO', 'Watcher File change detected! Restarting!'],
    ['ERROR', 'error: Uncaught (in promise) Error: Key length is zero'],
    ['INFO', 'Watcher Process finished. Restarting on file change...'],
  ],
  'Elixir / Phoenix': [
    ['INFO', '[info] Running HelloWeb.Endpoint with Bandit 1.6.0 at 127.0.0.1:4000 (http)'],
    ['INFO', '[info] Access HelloWeb.Endpoint at http://localhost:4000'],
    ['INFO', '[watch] build finished, watching for changes...'],
    ['INFO', '[info] GET /api/errors'],
    ['DEBUG', '[debug] Processing with HelloWeb.ErrorsController.index/2'],
    ['INFO', '[info] Sent 200 in 2ms'],
    ['WARN', '[info] Sent 404 in 3ms'],
    ['ERROR', '[info] Sent 500 in 12ms'],
    ['WARN', '[warning] Could not start watcher "npm" from "/app/assets", executable does not exist'],
    ['WARN', '[warn] Phoenix.Router.Helpers are deprecated'],
    ['DEBUG', '[debug] QUERY OK source="users" db=0.4ms idle=1421.3ms'],
    ['INFO', '[notice] Application hello exited: shutdown'],
  ],
  // Python 3.11 logging.Formatter with formats of an app's own, captured 2026-12-02.
  'Python logging, custom formats': [
    ['DEBUG', 'app.api - DEBUG - cache miss for key user:42'],
    ['WARN', 'app.api - WARNING - retrying request to payments (attempt 2)'],
    ['ERROR', 'app.api - CRITICAL - database unavailable, shutting down'],
    ['ERROR', '15:18:27.677 ERROR app.api - failed to charge card: card_declined'],
    ['WARN', '2026-12-02 15:18:28,022 app.api      WARNING  retrying request to payments (attempt 2)'],
    ['ERROR', '2026-12-02 15:18:28,022 app          ERROR    failed to charge card: card_declined'],
    ['DEBUG', '12/02/2026 03:18:28 PM DEBUG cache miss for key user:42'],
    ['WARN', 'WARNI [app.api] retrying request to payments (attempt 2)'],
    ['ERROR', 'CRITI [app.api] database unavailable, shutting down'],
    ['WARN', '           WARNING  retrying request to payments (attempt 2)                    richlog.py:7'],
    ['ERROR', '2026-12-02 15:18:35 [error    ] failed to charge card          code=card_declined'],
    ['DEBUG', '2026-12-02 15:18:35 [debug    ] cache miss                     key=user:42'],
  ],
  'Test runners: pytest, node --test, cargo test': [
    ['ERROR', '=================================== FAILURES ==================================='],
    ['ERROR', '________________________ ERROR at setup of test_uses_db ________________________'],
    ['ERROR', 'FAILED test_api.py::test_total_wrong - AssertionError: assert 5 == 6'],
    ['WARN', '=============================== warnings summary ==============================='],
    ['ERROR', '==== 2 failed, 3 passed, 1 skipped, 1 xfailed, 1 warning, 1 error in 0.05s ====='],
    ['WARN', '======= 3 passed, 1 skipped, 3 deselected, 1 xfailed, 1 warning in 0.04s ======='],
    ['INFO', '============================== 5 passed in 0.03s ==============================='],
    ['ERROR', 'not ok 2 - totals add up'],
    ['INFO', 'ok 1 - parses input'],
    ['ERROR', '✖ totals add up (2.3157ms)'],
    ['ERROR', 'ℹ fail 3'],
    ['INFO', 'ℹ fail 0'],
    ['ERROR', 'test tests::unwrap_none ... FAILED'],
    ['INFO', 'test tests::parses ... ok'],
    ['ERROR', 'test result: FAILED. 2 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.68s'],
  ],
  'Dev servers: statuses, builds, warnings (captured 2026-12-02)': [
    ['ERROR', '[500] GET /boom'],
    ['WARN', '[404] GET /nope'],
    ['WARN', '15:29:17 [404] /nope 1ms'],
    ['WARN', '127.0.0.1:49660 - "GET /missing.css" 404 [0ms]'],
    ['INFO', '127.0.0.1:49646 - "GET /" 200 [21ms]'],
    ['WARN', '[2026-12-02T15:26:58.899Z]  "GET /missing.js" Error (404): "Not found"'],
    ['WARN', '127.0.0.1 - - [02/Dec/2026 15:18:42] code 404, message File not found'],
    ['ERROR', '🚨 Build failed.'],
    ['ERROR', '> Build error occurred'],
    ['ERROR', 'failed to load config from /app/vite.config.js'],
    ['ERROR', '3:24:40 PM [vite] Build failed with 1 error:'],
    ['WARN', '3:24:58 PM [vite-plugin-svelte] src/App.svelte:4:0 `<img>` element should have an alt attribute'],
    ['ERROR', 'prisma:error Error in PostgreSQL connection: Error { kind: Closed, cause: None }'],
    ['WARN', 'prisma:warn In production, we recommend using `prisma generate --no-engine`'],
    ['DEBUG', 'prisma:query SELECT 1'],
    ['ERROR', '  File "/app/main.py", line 3'],
  ],
  // The level letter, in each of logcat's formats (`adb logcat -v …`), Flutter's `flutter run` included.
  'Android logcat': [
    ['DEBUG', '12-02 15:40:01.112  4410  4410 D MainActivity: onCreate savedInstanceState=null'],
    ['DEBUG', '12-02 15:40:01.113  4410  4431 V OkHttp  : --> GET https://api.example.com/items'],
    ['INFO', '12-02 15:40:01.120  1520  1702 I ActivityManager: Start proc 4410:com.example.app/u0a190 for activity'],
    ['WARN', '12-02 15:40:01.301  4410  4410 W System.err: java.net.SocketTimeoutException: timeout'],
    ['ERROR', '12-02 15:40:02.870  4410  4410 E AndroidRuntime: FATAL EXCEPTION: main'],
    ['ERROR', '12-02 15:40:02.871  4410  4410 F libc    : Fatal signal 11 (SIGSEGV), code 1'],
    ['ERROR', '2026-12-02 15:40:02.872  4410  4410 E AndroidRuntime: Process: com.example.app, PID: 4410'],
    ['WARN', '12-02 15:40:03.004 u0_a190  4410  4431 W ReactNativeJS: Possible Unhandled Promise Rejection'],
    ['ERROR', '12-02 15:40:03.010 E/ReactNativeJS( 4410): TypeError: undefined is not a function'],
    ['INFO', 'I/flutter ( 4410): build finished in 120ms'],
    ['ERROR', 'E/flutter ( 4410): [ERROR:flutter/runtime/dart_vm_initializer.cc(41)] Unhandled Exception: boom'],
    ['WARN', 'W/Choreographer: Skipped 31 frames!  The application may be doing too much work on its main thread.'],
    ['ERROR', '[ 12-02 15:40:02.870  4410: 4410 E/AndroidRuntime ]'],
    ['INFO', 'I/O error counters reset'],
  ],
  // Go's web frameworks: Gin's debug lines then its access lines (two bracket tags, as a multiplexer's
  // would be: the access line's status must still count), Fiber's and Echo's request loggers.
  'Go: Gin, Fiber, Echo': [
    ['WARN', '[GIN-debug] [WARNING] Running in "debug" mode. Switch to "release" mode in production.'],
    ['INFO', '[GIN-debug] GET    /ping                     --> main.main.func1 (3 handlers)'],
    ['INFO', '[GIN-debug] Listening and serving HTTP on :8080'],
    ['INFO', '[GIN] 2026/12/02 - 12:00:00 | 200 |      12.3µs |       127.0.0.1 | GET      "/ping"'],
    ['WARN', '[GIN] 2026/12/02 - 12:00:01 | 404 |       1.2µs |       127.0.0.1 | GET      "/nope"'],
    ['ERROR', '[GIN] 2026/12/02 - 12:00:02 | 500 |     101.2µs |       127.0.0.1 | GET      "/boom"'],
    ['INFO', '12:00:00 | 200 |      1ms |       127.0.0.1 | GET     | /       | -'],
    ['WARN', '12:00:01 | 404 |     12µs |       127.0.0.1 | GET     | /nope   | Cannot GET /nope'],
    ['ERROR', '12:00:02 | 500 |     45µs |       127.0.0.1 | POST    | /orders | boom'],
    [
      'WARN',
      '{"time":"2026-12-02T12:00:00.1Z","id":"","remote_ip":"127.0.0.1","host":"localhost:1323","method":"GET","uri":"/nope","status":404,"error":"code=404, message=Not Found","latency_human":"51.2µs"}',
    ],
    [
      'ERROR',
      '{"time":"2026-12-02T12:00:00.2Z","id":"","remote_ip":"127.0.0.1","host":"localhost:1323","method":"GET","uri":"/boom","status":500,"error":"boom","latency_human":"61.2µs"}',
    ],
    ['INFO', '{"time":"2026-12-02T12:00:00.3Z","method":"GET","uri":"/","status":200,"latency_human":"11.2µs"}'],
    ['INFO', '{"job":"sync","status":500}'],
  ],
  'Ruby servers, Rollup, yarn 1, warnings by class name': [
    ['ERROR', "Puma caught this error: undefined method `foo' for nil (NoMethodError)"],
    ['ERROR', "  Liquid Exception: Liquid syntax error (line 3): Unknown tag 'foo' in /site/_layouts/default.html"],
    ['ERROR', "jekyll 4.3.4 | Error:  Liquid syntax error (line 3): Unknown tag 'foo'"],
    ['ERROR', '[!] RollupError: Could not resolve entry module "src/main.js".'],
    ['ERROR', 'error Command failed with exit code 1.'],
    ['ERROR', "Failed running './bin/www'"],
    ['INFO', "Completed running './bin/www'"],
    ['INFO', 'info Visit https://yarnpkg.com/en/docs/cli/run for documentation about this command.'],
    ['WARN', 'MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 exit listeners added to [process].'],
    ['WARN', 'DeprecationWarning: The `punycode` module is deprecated.'],
    ['WARN', 'Browserslist: caniuse-lite is outdated. Please run:'],
    ['INFO', '  npx update-browserslist-db@latest'],
  ],
  // IBM Blue Gene/L's RAS log (the Loghub corpus's BGL set has this shape).
  'Blue Gene/L RAS log': [
    [
      'INFO',
      '- 1133500001 2005.12.02 R11-M0-N3-C:J04-U01 2005-12-02-05.00.01.123456 R11-M0-N3-C:J04-U01 RAS KERNEL INFO cache parity error corrected',
    ],
    [
      'ERROR',
      'KERNDTLB 1133500002 2005.12.02 R11-M0-N3-C:J04-U01 2005-12-02-05.00.02.654321 R11-M0-N3-C:J04-U01 RAS KERNEL FATAL data TLB error interrupt',
    ],
    [
      'ERROR',
      '- 1133500003 2005.12.02 R11-M0-N3-I:J18-U01 2005-12-02-05.00.03.000001 R11-M0-N3-I:J18-U01 RAS APP SEVERE ciod: lost connection',
    ],
    [
      'WARN',
      '- 1133500004 2005.12.02 R11-M0-NE 2005-12-02-05.00.04.000002 R11-M0-NE NULL DISCOVERY WARNING Node card is not fully functional',
    ],
  ],
};

// Lines that mention an error or a warning without being one.
const stayInfo: string[] = [
  '0 errors',
  'errorHandler registered',
  'GET /api/errors 200',
  'Found 0 errors. Watching for file changes.',
  'warnings: none',
  'Errors: 0, Warnings: 0',
  'Fatal errors: 0',
  'Error pages configured for status 404, 500',
  'ErrorBoundary mounted',
  'warning threshold set to 80%',
  'Exception handling middleware registered',
  'Listening for errors on channel #errors',
  'Failed requests: 0',
  'ERROR_REPORTING=E_ALL',
  'GET /warnings 200 in 12ms',
  '127.0.0.1 - - [02/Dec/2026:12:00:00 +0000] "GET /errors/500 HTTP/1.1" 200 512',
  ' PASS  src/errors.test.ts',
  'Panic button disabled',
  'time="2026-12-02T12:00:00Z" level=info msg="error rate 0%"',
  '2026-12-02T12:00:00.123Z  INFO 12345 --- [           main] o.s.b.w.s.ErrorPageFilter                : ErrorPageFilter registered',
  '[info] GET /errors',
  'Completed 0 errors, 0 warnings',
  'Compiled with 0 errors and 0 warnings',
  'No errors found.',
  'error_log = /var/log/php_errors.log',
  'Serving /error.html',
  'WarningBanner rendered',
  'Running in DEBUG mode',
  'Set LOG_LEVEL=ERROR to see less',
  'Using ERROR handler middleware',
  '3 ERRORS found in the config',
  '[12:00:00 PM] Found 0 errors. Watching for file changes.',
];

describe('level rows for other platforms (levelRulesPlatforms)', () => {
  for (const [source, rows] of Object.entries(table)) {
    it(source, () => {
      const tagger = new LineTagger();
      rows.forEach(([level, text], i) => assert.equal(tagger.line(text, '2026-12-02T12:00:00.000Z', 'stdout', i + 1).level, level, text));
    });
  }

  it('reads a Docker Compose line after its service prefix, with or without Compose saying it is attaching', () => {
    const line = 'web-1  | ERROR:    Exception in ASGI application';
    assert.equal(new LineTagger().line(line, '2026-12-02T12:00:00.000Z', 'stdout', 1).level, 'ERROR', '`docker compose logs`');
    for (const notCompose of ['web  | ERROR:    x', 'step-1: | ERROR: x', '| web-1  | ERROR: x']) {
      assert.equal(composePrefixLength(notCompose), 0, notCompose);
    }
    const compose = new LineTagger();
    compose.line('Attaching to db-1, web-1', '2026-12-02T12:00:00.000Z', 'stdout', 1);
    assert.equal(compose.line(line, '2026-12-02T12:00:00.000Z', 'stdout', 2).level, 'ERROR');
    assert.equal(compose.line('web_1  | WARNING:  StatReloader detected changes', '2026-12-02T12:00:00.000Z', 'stdout', 3).level, 'WARN');
  });

  it('leaves lines that only mention an error or a warning at INFO', () => {
    for (const text of stayInfo) assert.equal(new LineTagger().line(text, '2026-12-02T12:00:00.000Z', 'stdout', 1).level, 'INFO', text);
  });
});
