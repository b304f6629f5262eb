import Foundation
import Hummingbird
import Prometheus
import Relief

/// What `/metrics` reports, in Prometheus's text format: requests by route and status, request
/// latency by route, time inside the planner by route, and the planning pool's queue depth
/// and busy workers (read when scraped).
final class ServiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let latencyBuckets: [Duration] = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                                              .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                              .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30)]
    private let queueDepth: Gauge
    private let busyWorkers: Gauge
    private let workers: Gauge

    init(threads: Int) {
        queueDepth = registry.makeGauge(descriptor: Self.name("relief", "queue", "depth", "Requests waiting for a planning thread."))
        busyWorkers = registry.makeGauge(descriptor: Self.name("relief", "workers", "busy", "Planning threads solving now."))
        workers = registry.makeGauge(descriptor: Self.name("relief", "workers", "count", "Planning threads."))
        workers.set(Double(threads))
    }

    static func name(_ namespace: String, _ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: namespace, metricName: metric, unitName: unit, helpText: help)
    }

    func request(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: Self.name("relief_http", "requests", "total", "HTTP requests answered, by route, method and status."),
                             labels: [("route", route), ("method", method), ("status", String(status))]).increment()
        registry.makeDurationHistogram(descriptor: Self.name("relief_http", "request_duration", "seconds", "Time from the request's arrival to its response, by route."),
                                       labels: [("route", route)], buckets: latencyBuckets).record(duration)
    }

    func solver(route: String, duration: Duration) {
        registry.makeDurationHistogram(descriptor: Self.name("relief", "solver_duration", "seconds", "Time from queueing a request for a planning thread to its answer (GLPK and the model around it)."),
                                       labels: [("route", route)], buckets: latencyBuckets).record(duration)
    }

    func rejected(reason: String) {
        registry.makeCounter(descriptor: Self.name("relief", "rejected", "total", "Requests not planned: queue full, deadline passed, cancelled, shutting down."),
                             labels: [("reason", reason)]).increment()
    }

    func text(pool: PlannerPool) -> String {
        queueDepth.set(Double(pool.queueDepth))
        busyWorkers.set(Double(pool.busyWorkers))
        return registry.emitToString()
    }
}

/// Counts every response by its route (the router's path pattern, so `/v1/plan`, never a raw
/// URI with ids in it) and times it.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let method = request.method.rawValue
        do {
            let response = try await next(request, context)
            metrics.request(route: context.endpointPath ?? "unmatched", method: method, status: response.status.code,
                            duration: ContinuousClock.now - start)
            return response
        } catch let error as HTTPResponseError {
            metrics.request(route: context.endpointPath ?? "unmatched", method: method, status: error.status.code,
                            duration: ContinuousClock.now - start)
            throw error
        } catch {
            metrics.request(route: context.endpointPath ?? "unmatched", method: method, status: 500,
                            duration: ContinuousClock.now - start)
            throw error
        }
    }
}
