// Type declarations for Switchboard's browser SDK (/sdk/tccc.js): the TCCC Agent SDK API, plus the
// Switchboard additions marked "Switchboard". See docs/browser-sdk.md and docs/protocol.md.
//
// Usage in TypeScript: `/// <reference path="tccc.d.ts" />`, then use the global `TCCC` (or `tccc`).

declare namespace TCCC {
  // ---- general structures ----

  /** A seat's status. `offline` is Switchboard's status before `Agent.online()` and after `Agent.offline()`. */
  type AgentStatus = 'free' | 'busy' | 'arrange' | 'notReady' | 'rest' | 'offline';

  /** Values `Agent.setStatus` accepts, in any letter case (`StopNotReady` means `free`). */
  type SettableStatus = 'free' | 'rest' | 'arrange' | 'notReady' | 'stopNotReady'
    | 'Free' | 'Rest' | 'Arrange' | 'NotReady' | 'StopNotReady' | (string & {});

  /** What every promise resolves to; the SDK's promises never reject. */
  type CommonSDKResponse<Data = undefined> =
    | (Data extends undefined ? { status: 'success'; data?: undefined } : { status: 'success'; data: Data })
    | { status: 'error'; errorMsg: string; data?: undefined };

  /** The kinds of session (`conversation` in TCCC's document). */
  type SessionType = 'phone' | 'im' | 'voip' | 'video' | 'internal';

  /** Who ended a session. */
  type CloseBy = 'client' | 'seat' | 'admin' | 'timer';

  /** Why a status changed (Switchboard; an open set). */
  type StatusChangeCause = 'agent' | 'sessionAccepted' | 'sessionEnded' | 'missedOffer' | 'wrapUpTimer' | 'admin' | (string & {});

  /** One step of a phone call's IVR path. */
  interface IVRStep { key: string; label: string; }

  // ---- callIn payloads, per session type ----

  interface CallInBase {
    /** Conversation ID. */
    sessionId: string;
    /** Seconds to accept; 0 = no timeout. */
    timeout: number;
  }

  /** An online (im) conversation rings. */
  interface ImCallIn extends CallInBase {
    type: 'im';
    /** The user's nickname. */
    nickname: string;
    /** The user's profile photo. */
    avatar?: string;
    remark?: string;
    /** Channel source. */
    peerSource?: string;
    /** Custom parameters. */
    channelName?: string;
    /** User-defined parameters. */
    clientData?: string;
  }

  /** A phone call rings. */
  interface PhoneCallIn extends CallInBase {
    type: 'phone';
    calleePhoneNumber: string;
    callerPhoneNumber?: string;
    callerLocation?: string;
    remark?: string;
    ivrPath: IVRStep[];
    serverType: string;
  }

  /** An audio (VoIP) call rings. */
  interface VoipCallIn extends CallInBase {
    type: 'voip';
    callee: string;
    calleeRemark?: string;
    userId: string;
    nickname?: string;
    avatar?: string;
    remark?: string;
    peerSource?: string;
    ivrPath?: IVRStep[];
  }

  /** A video call rings. */
  interface VideoCallIn extends CallInBase {
    type: 'video';
    userId: string;
    nickname?: string;
    avatar?: string;
    remark?: string;
  }

  /** An internal call from another agent rings. */
  interface InternalCallIn extends CallInBase {
    type: 'internal';
    peerUserId: string;
  }

  /** `events.callIn`'s payload: narrow on `type`. */
  type CallIn = ImCallIn | PhoneCallIn | VoipCallIn | VideoCallIn | InternalCallIn;

  // ---- other event payloads ----

  interface SessionRef { sessionId: string; }

  interface SessionEnded {
    sessionId: string;
    closeBy: CloseBy;
    /** Present when an admin ended it with a reason. */
    mainReason?: string;
    subReason?: string;
    /** Switchboard: the session's type. */
    type?: SessionType;
    /** Switchboard: seconds since the agent accepted (0 if never). */
    duration?: number;
    /** Switchboard: how a phone call ended, as its record spells it; for an outbound call that failed
     *  `busy`, `notAnswer`, `userReject`, `numberNotExist`, `operatorError`, `error`, or `callerCancel`
     *  when the agent hung up before the answer. */
    endStatus?: EndStatus;
  }

  /** A phone call's end status (Switchboard; an open set). */
  type EndStatus = 'ok' | 'busy' | 'notAnswer' | 'userReject' | 'numberNotExist' | 'operatorError' | 'error' | 'callerCancel'
    | 'waitingGiveUp' | 'ringingGiveUp' | 'ivrGiveUp' | 'noSeatOnline' | 'notWorkTime' | (string & {});

  /** Switchboard: keys the other side of a call pressed (a phone caller's DTMF), as they arrive. */
  interface DigitsReceived {
    sessionId: string;
    /** One or more of 0-9, *, #, A-D. */
    digits: string;
  }

  interface Transfer {
    sessionId: string;
    /** The target skill group, when transferred to one. */
    skillGroupId?: string;
    /** The target agent, when transferred to one. */
    userId?: string;
  }

  interface StatusChanged {
    status: AgentStatus;
    /** Present when `status` is `rest`. */
    restReason?: string;
    /** Switchboard: why it changed. */
    cause?: StatusChangeCause;
  }

  /** An im message (Switchboard). `from` says who wrote it; the agent's own messages are included. */
  interface ChatMessage {
    sessionId: string;
    messageId: string;
    from: 'customer' | 'agent' | 'system';
    text: string;
    /** Milliseconds since 1970 UTC. */
    sentAt: number;
    /** For an agent message: the agent who wrote it (after a transfer, possibly not this agent). Absent from older servers. */
    agentUserId?: string;
    /** The name of that agent, when it still exists. */
    agentName?: string;
    /** A picture or file the message carries (its `text` is then the file's name). */
    attachment?: ChatAttachment;
  }

  /** A file carried by an im message (Switchboard); fetch it with `Chat.getFile`. */
  interface ChatAttachment {
    attachmentId: string;
    name: string;
    contentType: string;
    /** Bytes. */
    size: number;
    /** `image`: shown inline (PNG, JPEG, GIF, WebP); `file`: offered as a download. */
    kind: 'image' | 'file';
  }

  /**
   * A past session as the server records it (Switchboard, `Chat.getHistory`); the admin API's
   * session record. Times are milliseconds since 1970 UTC.
   */
  interface SessionRecord {
    id: string;
    type: SessionType;
    skillGroupId: string;
    customer: { nickname?: string; callerPhoneNumber?: string; calleePhoneNumber?: string; userId?: string; remark?: string; [field: string]: unknown };
    state: string;
    agentId: string | null;
    createdAt: number;
    acceptedAt: number | null;
    endedAt: number | null;
    closeBy: string | null;
    endStatus: string | null;
    durationSeconds: number | null;
    dispositionCode: string | null;
    wrapUpNote: string | null;
    /** A phone call's recording; `url` once ready (fetch it with `Call.getRecording`). */
    recording: { status: 'recording' | 'ready' | 'failed'; reason: string | null; durationSeconds: number | null; url: string | null } | null;
  }

  /** Event name → payload. */
  interface EventMap {
    ready: {};
    callIn: CallIn;
    userAccessed: SessionRef;
    autoTransfer: SessionRef;
    sessionEnded: SessionEnded;
    transfer: Transfer;
    statusChanged: StatusChanged;
    sessionCompleted: SessionRef;
    tokenExpired: {};
    message: ChatMessage;
    /** A call this agent placed (an internal call, or a phone number it dialled). */
    callOuted: CallOuted;
    /** The other side answered a call this agent placed. */
    calloutAccepted: SessionRef;
    /** Switchboard: a phone caller pressed keys. */
    digitsReceived: DigitsReceived;
  }

  /** The `callOuted` payload. */
  interface CallOuted {
    sessionId: string;
    type: SessionType;
    /** The agent called, for a call to an agent. */
    calleeUserId?: string;
    /** The skill group called, or the one a call to an agent is filed under. */
    skillGroupId?: string;
    /** The number dialled, for a phone call (`type: 'phone'`). */
    calleePhoneNumber?: string;
    /** A phone call's number presented to the callee. */
    callerPhoneNumber?: string;
    /** A phone call's note on the number (`phoneDesc`). */
    remark?: string;
    /** A phone call's user data: `uui` of `Call.startOutboundCall`, `UUI` of the server API's `CreateCallOutSession`. */
    uui?: string;
    /** A phone call's end: `'staffSeat'` (this SDK carries the audio). */
    serverType?: string;
    /** `'serverAPI'`: the server API (`CreateCallOutSession`) placed the phone call for this agent; one of its tabs offers. */
    placedBy?: 'serverAPI';
  }

  /** `Call.startOutboundCall`'s data. */
  interface OutboundCallStarted {
    sessionId: string;
    calleePhoneNumber: string;
    /** The number presented to the callee (the server's caller id unless one was asked for). */
    callerPhoneNumber?: string;
    serverType: string;
  }

  /** Switchboard: `Agent.getTransferTargets`'s data. */
  interface TransferTargets {
    /** The session asked about, when one was given. */
    sessionId?: string;
    /** Every skill group of the tenant, by name then id; `Chat.transfer({skillGroupId})` queues the session there. */
    skillGroups: TransferSkillGroup[];
    /** Every online agent but this one, by name then id; `Chat.transfer({userId})` rings the session there. */
    agents: TransferAgent[];
  }

  interface TransferSkillGroup {
    skillGroupId: string;
    name: string;
    /** Sessions waiting in its queue now. */
    waiting: number;
    /** Members online (any status but offline). */
    membersOnline: number;
  }

  interface TransferAgent {
    userId: string;
    name: string;
    /** Never 'offline': offline agents are not listed. */
    status: AgentStatus;
    /** False once the agent has been without a connection for longer than the reconnect grace. */
    connected: boolean;
    skillGroupIds: string[];
    /** With a sessionId: whether `Chat.transfer` of that session to this agent would be carried out now. */
    available?: boolean;
    /** When `available` is false: why, in the words `Chat.transfer` would refuse with. */
    why?: string;
  }

  /** Switchboard: a canned reply, inserted in the workbench by typing `/` and its shortcut. */
  interface CannedReply {
    id: string;
    /** 'agent': this agent's own (it may change it); 'skillGroup': shared by one of its groups. */
    scope: 'agent' | 'skillGroup';
    skillGroupId?: string;
    /** Without the '/', lower case. */
    shortcut: string;
    title: string;
    text: string;
  }

  /** Switchboard: `Chat.getWrapUp`'s data. */
  interface WrapUpForm {
    sessionId: string;
    skillGroupId: string;
    /** Pick one; empty: the wrap-up is a note alone. */
    dispositionCodes: string[];
    maximumNoteLength: number;
    saved?: SavedWrapUp;
  }

  interface SavedWrapUp {
    dispositionCode?: string;
    note?: string;
    wrappedUpAt: number;
  }

  type EventName = keyof EventMap;

  // ---- namespaces ----

  namespace Chat {
    /** Accepts a session ringing at this agent. Idempotent for the agent that accepted it. */
    function accept(options: { sessionId: string }): Promise<CommonSDKResponse>;
    /** Ends a session this agent holds (`closeBy: 'seat'`). */
    function end(options: { sessionId: string }): Promise<CommonSDKResponse>;
    /** Transfers a held session to a skill group or an agent; give at least one ('' counts as absent). */
    function transfer(options: { sessionId: string; skillGroupId?: string; userId?: string }): Promise<CommonSDKResponse>;
    /** Switchboard: sends an im message in a held session. */
    function sendMessage(options: { sessionId: string; text: string }): Promise<CommonSDKResponse<{ messageId: string; sentAt: number }>>;
    /** Switchboard: tells the customer of a held im session that the agent is typing (send at most every few seconds). */
    function typing(options: { sessionId: string }): Promise<CommonSDKResponse>;
    /** Switchboard: a page of an im transcript, `oldest` first by default; `before` or `after` a message id. */
    function getMessages(options: {
      sessionId: string;
      order?: 'oldest' | 'newest';
      /** 1 to 200, default 50. */
      limit?: number;
      before?: string;
      after?: string;
    }): Promise<CommonSDKResponse<{ sessionId: string; messages: Array<Omit<ChatMessage, 'sessionId'>>; hasMore: boolean }>>;
    /** Switchboard: sends a picture or file to the customer of a held im session; `data.message` carries it. */
    function sendFile(options: { sessionId: string; file: Blob; name?: string }): Promise<CommonSDKResponse<{ message: Omit<ChatMessage, 'sessionId'> }>>;
    /** Switchboard: the content of a file in a session this agent may read. */
    function getFile(options: { sessionId: string; attachmentId: string }): Promise<CommonSDKResponse<Blob>>;
    /** Switchboard: what `sendFile` accepts. */
    function getFileLimits(): Promise<CommonSDKResponse<{ maximumBytes: number; contentTypes: string[]; imageTypes: string[] }>>;
    /** Switchboard: the sessions this agent accepted, newest first; `q` searches customers and messages. */
    function getHistory(options?: { q?: string; limit?: number; offset?: number }): Promise<CommonSDKResponse<{ items: SessionRecord[]; total: number | null; limit: number; offset: number; hasMore: boolean }>>;
    /** Switchboard: the customer's other sessions (by the identity usingLastSeat uses), newest first, whoever handled them. */
    function getCustomerSessions(options: { sessionId: string; limit?: number; offset?: number }): Promise<CommonSDKResponse<{ items: SessionRecord[]; total: number | null; limit: number; offset: number; hasMore: boolean }>>;
    /** Switchboard: a picture or file sent in one of the customer's earlier sessions. */
    function getCustomerFile(options: { sessionId: string; earlierSessionId: string; attachmentId: string }): Promise<CommonSDKResponse<Blob>>;
    /** Switchboard: the transcript of one of the customer's earlier sessions. */
    function getCustomerMessages(options: {
      sessionId: string;
      earlierSessionId: string;
      order?: 'oldest' | 'newest';
      limit?: number;
      before?: string;
      after?: string;
    }): Promise<CommonSDKResponse<{ sessionId: string; messages: Array<Omit<ChatMessage, 'sessionId'>>; hasMore: boolean }>>;
  }

  /**
   * voip, internal and phone calls. Media runs in the tab that answered or placed the call. For a
   * phone call this agent's browser always makes the WebRTC offer (after its accept succeeds, or at
   * once when it dials), with every ICE candidate in it; the server answers for the carrier.
   */
  namespace Call {
    /** Answers a call ringing at this agent; the microphone opens and media starts once the caller offers (a phone call: once this tab has offered). */
    function accept(options: { sessionId: string }): Promise<CommonSDKResponse>;
    /** Ends a call this agent holds (`closeBy: 'seat'`), or hangs up an internal call it placed (`closeBy: 'client'`). */
    function hungUp(options: { sessionId: string }): Promise<CommonSDKResponse>;
    /** Stops sending this agent's voice (local; no server round trip). */
    function muteMic(options: { sessionId: string }): Promise<CommonSDKResponse>;
    function unmuteMic(options: { sessionId: string }): Promise<CommonSDKResponse>;
    /** Whether the microphone is muted in the call, synchronously. */
    function isMicMuted(options: { sessionId: string }): boolean;
    /** Holds the call: the other side hears hold audio; neither side sends media. */
    function hold(options: { sessionId: string }): Promise<CommonSDKResponse>;
    /** Takes the call off hold; an error when it is not on hold. */
    function unHold(options: { sessionId: string }): Promise<CommonSDKResponse>;
    /** Sends DTMF digits (0-9, *, #, A-D; ',' pauses), shown to the other side. */
    function sendDigits(options: { sessionId: string; dtmfText: string }): Promise<CommonSDKResponse>;
    /** Calls another agent or a skill group; `data.sessionId` is the call. `useMobile: true` is refused (agents take calls in the browser). */
    function startInternalCall(options: { calleeUserId?: string; skillGroupId?: string; useMobile?: boolean }): Promise<CommonSDKResponse<{ sessionId: string }>>;
    /** Removes an ended session from this page's session list (the workbench's history); an error for a live or unknown session. The server's record stays. */
    function deleteCall(options: { sessionId: string }): Promise<CommonSDKResponse>;
    /** Switchboard: the WAV recording of a phone call this agent answered. */
    function getRecording(options: { sessionId: string }): Promise<CommonSDKResponse<Blob>>;
    /**
     * Calls a phone number through the server's trunk (an error when it has none, or may not dial
     * that number). `callOuted` follows, then `calloutAccepted` when the callee answers, or
     * `sessionEnded` with an `endStatus` when the call fails; `hungUp` before the answer cancels it.
     */
    function startOutboundCall(options: { phoneNumber: string; phoneDesc?: string; uui?: string; skillGroupId?: string; callerPhoneNumber?: string }): Promise<CommonSDKResponse<OutboundCallStarted>>;
    /** Hands a held call to a skill group or an agent. */
    function transfer(options: { sessionId: string; skillGroupId?: string; userId?: string }): Promise<CommonSDKResponse>;
    /** Switchboard: takes a live call's media into this tab (after a reload); the two sides negotiate anew (a phone call: this tab offers again; the carrier notices nothing). */
    function reconnectMedia(options: { sessionId: string }): Promise<CommonSDKResponse>;
  }

  /** Video calls from the web widget. */
  namespace Video {
    function accept(options: { sessionId: string }): Promise<CommonSDKResponse>;
    function end(options: { sessionId: string }): Promise<CommonSDKResponse>;
    function muteMic(options: { sessionId: string }): Promise<CommonSDKResponse>;
    function unmuteMic(options: { sessionId: string }): Promise<CommonSDKResponse>;
    /** Stops sending this agent's camera (the other side sees black). */
    function muteVideo(options: { sessionId: string }): Promise<CommonSDKResponse>;
    function unmuteVideo(options: { sessionId: string }): Promise<CommonSDKResponse>;
    function transfer(options: { sessionId: string; skillGroupId?: string; userId?: string }): Promise<CommonSDKResponse>;
    /** Switchboard: what the wrap-up of an ended session this agent held last may say, and what was saved. */
    function getWrapUp(options: { sessionId: string }): Promise<CommonSDKResponse<WrapUpForm>>;
    /** Switchboard: saves that wrap-up: one of the group's disposition codes (when it has any) and a note. */
    function wrapUp(options: { sessionId: string; dispositionCode?: string; note?: string }): Promise<CommonSDKResponse<SavedWrapUp>>;
  }

  namespace Agent {
    /** Goes online (TCCC: void). Switchboard also returns the server's answer. */
    function online(): Promise<CommonSDKResponse>;
    /** Goes offline (TCCC: void); refused while the agent holds accepted sessions. */
    function offline(): Promise<CommonSDKResponse>;
    /** Sets the status; `rest` takes a `restReason`. While busy, the change waits for the last session to end. */
    function setStatus(options: { status: SettableStatus; restReason?: string }): Promise<CommonSDKResponse>;
    /** The status as the SDK knows it, synchronously. */
    function getStatus(): AgentStatus;
    /** Switchboard: the status as the server has it now. */
    function queryStatus(): Promise<CommonSDKResponse<{ status: AgentStatus; restReason?: string }>>;
    /** Switchboard: whom this agent may transfer to; with a sessionId it holds, who can take that session now. */
    function getTransferTargets(options?: { sessionId?: string }): Promise<CommonSDKResponse<TransferTargets>>;
  }

  /** Switchboard: canned replies; an agent manages its own, its groups' come from the admin API. */
  namespace CannedReplies {
    /** The replies this agent may insert, its own first. */
    export function list(): Promise<CommonSDKResponse<{ replies: CannedReply[] }>>;
    /** Creates (without `id`) or changes one of this agent's own replies. */
    export function save(options: { id?: string; shortcut: string; title: string; text: string }): Promise<CommonSDKResponse<CannedReply>>;
    /** Deletes one of this agent's own replies (`CannedReplies.delete`). */
    function delete_(options: { id: string }): Promise<CommonSDKResponse>;
    export { delete_ as delete };
  }

  namespace Devices {
    /** Chrome 56+ or Edge 80+, with WebSocket, Promise and media devices. */
    function isBrowserSupported(): boolean;
    /** The microphones; asks for microphone permission when the labels are hidden. Never rejects ([] when unavailable). */
    function getMicrophones(): Promise<MediaDeviceInfo[]>;
    /** The speakers. Never rejects ([] when unavailable). */
    function getSpeakers(): Promise<MediaDeviceInfo[]>;
    /** Switchboard: the cameras. */
    function getCameras(): Promise<MediaDeviceInfo[]>;
    /** Switchboard: the microphone calls use; a live call switches at once ('' = system default). */
    function setMicrophone(deviceId: string): Promise<CommonSDKResponse>;
    /** Switchboard: the speaker calls play on, where the browser can choose (setSinkId). */
    function setSpeaker(deviceId: string): Promise<CommonSDKResponse>;
    /** Switchboard: the camera video calls open. */
    function setCamera(deviceId: string): Promise<CommonSDKResponse>;
    /** Switchboard: the devices chosen (null = system default). */
    function getChosen(): { microphoneId: string | null; speakerId: string | null; cameraId: string | null };
  }

  namespace UI {
    /** Hides all of the SDK's UI. */
    function hide(): void;
    /** Shows the SDK's UI again. */
    function show(): void;
    /** Shows the floating button. */
    function showfloatButton(): void;
    /** Hides the floating button. */
    function hidefloatButton(): void;
    /** Opens the workbench. */
    function showWorkbench(): void;
    /** Closes the workbench. */
    function hideWorkbench(): void;
  }

  /** The contact centre as this agent sees it. */
  namespace Admin {
    /** The skill groups of this agent's transfer directory. */
    function getSkillGroups(): Promise<CommonSDKResponse<{ skillGroupName: string; skillGroupId: string }[]>>;
  }

  /** TCCC's workbench button types; Switchboard has no `forwardOut` nor `selfService` (always hidden). */
  type ButtonType = 'transferSeat' | 'transferSkillGroup' | 'holdToggle' | 'forwardOut' | 'showKeyboard' | 'selfService';

  /** One workbench button as `overrideButtonConfig` lists it. */
  interface ButtonConfig {
    type: ButtonType;
    /** Its label; left as given, the workbench shows its own (in its language). */
    text: string;
    visible: boolean;
    disabled: boolean;
    /** Why the button cannot be shown (`forwardOut`, `selfService`). */
    note?: string;
  }

  /**
   * Changes the workbench's buttons by type: `override` gets every type's entry and returns the
   * list changed (entries or fields left out stay as they are), or nothing to keep it. Applied at
   * once and whenever the workbench renders; works before `ready`. A wrong answer (unknown type,
   * field of the wrong type, `forwardOut` / `selfService` made visible) is `{status: 'error',
   * errorMsg}` and changes nothing.
   */
  function overrideButtonConfig(
    override: (config: ButtonConfig[]) => Array<Partial<ButtonConfig> & { type: ButtonType }> | void
  ): { status: 'success' } | { status: 'error'; errorMsg: string };

  /** Event names; each value is the string `on` and `off` take. */
  const events: { readonly [K in EventName]: K };

  /** Listens for an event; the callback gets the payload. The same function registered again for the same event is kept once. */
  function on<K extends EventName>(event: K, callback: (payload: EventMap[K]) => void): void;
  /** Stops listening; without a callback, removes every listener of that event. */
  function off<K extends EventName>(event: K, callback?: (payload: EventMap[K]) => void): void;

  // ---- Switchboard additions ----

  /** Options of `TCCC.init`. */
  interface InitOptions {
    /** The server, e.g. `https://cc.example.com` (default: where tccc.js was loaded from). */
    server?: string;
    /** An SDK login token from `POST /api/v1/agents/{id}/tokens`. */
    token?: string;
    /** The agent; with `password`, logs in without a token. */
    userId?: string;
    password?: string;
    /** The tenant (TCCC's SdkAppId). */
    sdkAppId?: string;
    /**
     * Keep the login across reloads of this tab: the session token the server sends after a
     * password login (never the password) is kept in sessionStorage, renewed while connected, and
     * forgotten on `disconnect()`, expiry or refusal. `init({rememberLogin: true})` without a token
     * or password then logs in with the kept token (an error when there is none).
     */
    rememberLogin?: boolean;
    /** The workbench: floating button and panel (default), a full page, or none. */
    layout?: 'floating' | 'page' | 'none';
    /** Where a `page` workbench goes (default: document.body). */
    mount?: Element;
    /**
     * The workbench's transfer targets instead of the server's list (`Agent.getTransferTargets`):
     * only these are offered, each as given (no waiting counts or availability).
     */
    transferTargets?: { agents?: Array<string | { userId: string; name?: string }>; skillGroups?: Array<string | { skillGroupId: string; name?: string }> };
    /** Break reasons in the status switcher (default lunch, meeting, training, break). */
    restReasons?: string[];
    /** Timings in milliseconds (defaults: ping every 20000, reconnect after 10000 without an answer). */
    pingIntervalMs?: number;
    pongTimeoutMs?: number;
    responseTimeoutMs?: number;
    /** How long a call waits for a (re)connection before it resolves with an error (default 30000). */
    connectWaitMs?: number;
    backoffInitialMs?: number;
    backoffMaxMs?: number;
  }

  /** A live session as the SDK keeps it; calls this agent placed have `direction: 'out'` and start as 'calling'. */
  type LiveSession = CallIn & {
    state: 'ringing' | 'accepted' | 'calling';
    direction?: 'out';
    calleeUserId?: string | null;
    /** The skill group of a call this agent placed. */
    skillGroupId?: string | null;
    /** When the offer runs out (ms since 1970), or null for no timeout / once accepted. */
    deadline: number | null;
    offeredAt: number;
    acceptedAt?: number;
  };

  /** A session this page saw end, be transferred away or ring out. */
  type PastSession = LiveSession & {
    outcome: 'ended' | 'transferred' | 'missed';
    endedAt: number;
    closeBy?: CloseBy;
    mainReason?: string | null;
    subReason?: string | null;
    duration?: number | null;
    /** A phone call's end status (see SessionEnded). */
    endStatus?: EndStatus | null;
    transferUserId?: string | null;
    transferSkillGroupId?: string | null;
  };

  type ConnectionState = 'idle' | 'connecting' | 'reconnecting' | 'ready' | 'failed' | 'expired' | 'closed';

  interface State {
    userId: string | null;
    name: string | null;
    status: AgentStatus;
    restReason: string | null;
    /** A status asked for while busy, applied when the last session ends. */
    pendingStatus: AgentStatus | null;
    pendingRestReason: string | null;
    sessions: LiveSession[];
    history: PastSession[];
    connection: ConnectionState;
    /** Why the connection failed, expired or closed. */
    error: string | null;
    /** The highest event `seq` processed. */
    cursor: number;
    /** What the SDK's UI shows (UI.* calls, also before `ready`). */
    ui: { button: boolean; panel: boolean; all: boolean };
  }

  /** Switchboard: logs in (again); resolves on `ready`, or with the server's reason when it refuses. */
  function init(options: InitOptions): Promise<CommonSDKResponse<{ userId: string; name: string; status: AgentStatus }>>;
  /** Switchboard: closes the connection for good (sign out); forgets a kept login. */
  function disconnect(): void;
  /** Switchboard: the login this tab kept with `rememberLogin`, or null. */
  function savedLogin(): { userId: string | null; expiresAt: number | null } | null;
  /** Switchboard: what the SDK knows now. */
  function getState(): State;
  /** Switchboard: the SDK's version. */
  const version: string;

  /** Switchboard: diagnostics and tests. */
  namespace debug {
    /** Closes the socket as a network failure would; reconnects after `delayMs` (default: the backoff) and resumes. */
    function dropConnection(delayMs?: number): void;
    /** Changes the timings of InitOptions. */
    function configure(options: Pick<InitOptions, 'pingIntervalMs' | 'pongTimeoutMs' | 'responseTimeoutMs' | 'connectWaitMs' | 'backoffInitialMs' | 'backoffMaxMs'>): void;
    /** Sets the event cursor (to test resumes). */
    function setCursor(seq: number): void;
    /** Ignores ping answers (to test the liveness check). */
    function ignorePongs(flag: boolean): void;
    /** Reconnects caused by unanswered pings. */
    function pingMisses(): number;
    /** The last 500 frames received. */
    function frames(): Array<Record<string, unknown>>;
    /** The connection settings (password masked). */
    function settings(): Record<string, unknown>;
    /** getStats() of this tab's media in a call, or null; `path` is the nominated candidate type (host, srflx, relay). */
    function callStats(sessionId: string): Promise<CallStats | null>;
    /** 'relay' sends calls through TURN only (to test a TURN server). */
    function iceTransportPolicy(policy: 'all' | 'relay'): void;
    /** Phone offers this page made again because a call's audio did not connect after the server's answer. */
    function phoneReoffers(): number;
  }

  interface CallStats {
    inboundBytes: number;
    inboundAudioBytes: number;
    inboundVideoBytes: number;
    outboundBytes: number;
    state: string;
    held: boolean;
    path: 'host' | 'srflx' | 'prflx' | 'relay' | null;
  }
}

/** The same object as `TCCC`, as TCCC's own examples spell it. */
declare const tccc: typeof TCCC;

interface Window {
  TCCC: typeof TCCC;
  tccc: typeof TCCC;
  /** The chat widget's small API (/widget.js). */
  SwitchboardChat?: {
    open(): void;
    close(): void;
    start(options?: { nickname?: string; skillGroupId?: string; message?: string }): void;
    send(text: string): void;
    leave(): void;
    state(): { phase: 'idle' | 'starting' | 'resuming' | 'live' | 'ended'; sessionId: string | null; agent: string | null; position: number | null };
    /** Starts a voice call, or a video call with `video: true`. */
    call(options?: { video?: boolean; nickname?: string; skillGroupId?: string }): void;
    hangUp(): void;
    callState(): {
      phase: 'idle' | 'connecting' | 'queued' | 'ringing' | 'connected' | 'held' | 'ended';
      sessionId: string | null; agent: string | null; held: boolean; muted: boolean;
      closeBy: TCCC.CloseBy | null; error: string | null; media: string | null;
    };
    callStats(): Promise<TCCC.CallStats | null>;
  };
}
