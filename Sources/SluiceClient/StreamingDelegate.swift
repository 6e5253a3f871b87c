import Foundation
import SluiceCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The body of an answer as it arrives (a stream the service writes while something goes on), handed on as
/// pieces; an answer that is not 2xx ends the stream with the service's error.
final class StreamingDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    private let origin: String
    private let lock = NSLock()
    private var status = 0
    private var failedBody = Data()

    init(continuation: AsyncThrowingStream<Data, any Error>.Continuation, origin: String) {
        self.continuation = continuation
        self.origin = origin
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        lock.withLock { status = (response as? HTTPURLResponse)?.statusCode ?? 0 }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let ok = lock.withLock {
            if !(200..<300).contains(status) { failedBody.append(data) }
            return (200..<300).contains(status)
        }
        if ok { continuation.yield(data) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (status, body) = lock.withLock { (self.status, failedBody) }
        if let error {
            continuation.finish(
                throwing: RemoteError(
                    code: .unavailable,
                    message: "the service at \(origin) stopped answering: \(error.localizedDescription)"))
        } else if !(200..<300).contains(status) {
            continuation.finish(throwing: RemoteError(HTTPTransport.Answer(status: status, body: body), from: origin))
        } else {
            continuation.finish()
        }
        session.finishTasksAndInvalidate()
    }
}

extension HTTPTransport {
    /// The answer's body as it arrives.
    func stream(_ request: URLRequest) -> AsyncThrowingStream<Data, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Data.self)
        let delegate = StreamingDelegate(continuation: continuation, origin: Self.origin(base))
        let session = URLSession(configuration: .default, delegate: delegate, delegateQueue: nil)
        let task = session.dataTask(with: request)
        continuation.onTermination = { _ in task.cancel() }
        task.resume()
        return stream
    }
}
