// The wire types (CallIn, SessionEnded, StatusChanged, AgentStatus, ...) are the SDK's payload
// types, so an app that imports TCCC gets them without depending on SwitchboardProtocol itself.
@_exported import SwitchboardProtocol
