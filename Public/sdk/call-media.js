/*
 * Switchboard call media: one WebRTC peer connection per call, shared by the agent SDK (tccc.js)
 * and the customer widget (widget.js), which both load it on their first call.
 *
 * Signalling goes through the Switchboard server over the page's existing WebSocket; this file
 * only turns signals into RTCPeerConnection calls and back. The side that placed the call (the
 * customer, or the agent who started an internal call) makes the offer once the other side has
 * answered; the answering side answers. Hold replaces the outgoing tracks with nothing (so no RTP
 * flows, without renegotiating) and, on the held side, plays hold audio.
 *
 * Phone calls (`gatherFirst: true`): the agent's browser always offers, and the other side is the
 * server's media relay (rtpengine), which does not take trickled candidates: the offer waits for
 * ICE gathering to finish and carries every candidate, and no `candidate` signal is sent.
 *
 *   var call = SwitchboardCallMedia.createCall({
 *     role: 'offerer' | 'answerer', video: false, iceServers: [...],
 *     gatherFirst: false,                       // true: one complete offer, no trickled candidates
 *     onStalled: function () {...},             // gatherFirst: no media path a while after the answer
 *     send: function (signal) {...},            // deliver to the other side
 *     onRemoteStream: function (stream) {...},  // attach to a <video>; audio plays by itself
 *     onState: function (state) {...}           // 'starting' 'connecting' 'connected' 'failed' 'closed'
 *   });
 *   call.start().then(...); call.handle(signal); call.setHeld(true, {music: true}); call.close();
 */
(function () {
  'use strict';
  if (window.SwitchboardCallMedia) return;

  var preferences = { microphoneId: null, cameraId: null, speakerId: null };

  /** A negotiation's name (the signals' `attempt`): letters and digits, unique enough per call. */
  function newAttempt() {
    return Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
  }

  function audioConstraint() {
    return preferences.microphoneId ? { deviceId: { exact: preferences.microphoneId } } : true;
  }

  function videoConstraint() {
    var base = { width: { ideal: 640 }, height: { ideal: 480 } };
    if (preferences.cameraId) base.deviceId = { exact: preferences.cameraId };
    return base;
  }

  /** A short, quiet two-note chime every few seconds: the held party knows the line is alive. */
  function HoldMusic() {
    this.context = null;
    this.timer = null;
  }
  HoldMusic.prototype.start = function () {
    if (this.timer) return;
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    var self = this;
    try { this.context = new Context(); } catch (error) { return; }
    function chime() {
      var now = self.context.currentTime;
      [523.25, 659.25].forEach(function (frequency, index) {
        var oscillator = self.context.createOscillator();
        var gain = self.context.createGain();
        oscillator.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, now + index * 0.35);
        gain.gain.exponentialRampToValueAtTime(0.05, now + index * 0.35 + 0.05);
        gain.gain.exponentialRampToValueAtTime(0.0001, now + index * 0.35 + 0.3);
        oscillator.connect(gain).connect(self.context.destination);
        oscillator.start(now + index * 0.35);
        oscillator.stop(now + index * 0.35 + 0.32);
      });
    }
    chime();
    this.timer = setInterval(chime, 3000);
  };
  HoldMusic.prototype.stop = function () {
    clearInterval(this.timer);
    this.timer = null;
    if (this.context) { try { this.context.close(); } catch (error) { /* closed */ } }
    this.context = null;
  };

  function Call(options) {
    this.role = options.role === 'offerer' ? 'offerer' : 'answerer';
    this.video = !!options.video;
    this.send = options.send;
    this.onRemoteStream = options.onRemoteStream || function () {};
    this.onStateChange = options.onState || function () {};
    this.iceServers = options.iceServers || [];
    this.iceTransportPolicy = options.iceTransportPolicy || 'all';
    this.gatherFirst = !!options.gatherFirst;
    // Gathering on a machine with an unreachable STUN server can take 10 s or more; the offer
    // goes with the candidates found by then (host candidates come within milliseconds).
    this.gatherTimeoutMs = options.gatherTimeoutMs || 4000;
    // A phone call whose audio has not connected a while after the server's answer (a network
    // change, a relay restarted between offer and answer) is reported, and the SDK offers again:
    // a new offer is bound to the same carrier leg, so the caller notices nothing.
    this.onStalled = options.onStalled || null;
    this.stallTimeoutMs = options.stallTimeoutMs || 4000;
    this.stallTimer = null;
    this.state = 'new';
    this.pc = null;
    this.localStream = null;
    this.remoteStream = new MediaStream();
    this.audio = null;                 // plays the remote audio on the chosen speaker
    this.pending = [];                 // signals that arrived before start() finished
    this.candidates = [];              // candidates that arrived before the remote description
    this.micMuted = false;
    this.videoMuted = false;
    this.held = false;
    this.holdMusic = new HoldMusic();
    this.offerMade = false;
    this.wantsOffer = false;
    // The offerer names its offer; the answerer, when a restart named the offer to expect, ignores
    // any other (one made before the restart, still in flight). Answers repeat their offer's name.
    this.attempt = this.role === 'offerer' ? (options.attempt || newAttempt()) : null;
    this.expectedAttempt = this.role === 'answerer' ? (options.attempt || null) : null;
    this.negotiated = false;           // an offer was taken (answerer) or answered (offerer)
    this.started = null;
  }

  Call.prototype.setState = function (state) {
    if (this.state === state || this.state === 'closed') return;
    this.state = state;
    try { this.onStateChange(state); } catch (error) { console.error('[Switchboard] call state listener threw', error); }
  };

  /** Opens the microphone (and camera) and the peer connection. Resolves when ready for signals. */
  Call.prototype.start = function () {
    if (this.started) return this.started;
    var self = this;
    this.setState('starting');
    var constraints = { audio: audioConstraint(), video: this.video ? videoConstraint() : false };
    this.started = navigator.mediaDevices.getUserMedia(constraints).catch(function (error) {
      if (!self.video) throw error;
      // No camera (or refused): the call goes on with voice only.
      return navigator.mediaDevices.getUserMedia({ audio: audioConstraint(), video: false });
    }).then(function (stream) {
      if (self.state === 'closed') { stream.getTracks().forEach(function (t) { t.stop(); }); throw new Error('the call ended'); }
      self.localStream = stream;
      self.applyMute();
      var pc = new RTCPeerConnection({ iceServers: self.iceServers, iceTransportPolicy: self.iceTransportPolicy });
      self.pc = pc;
      stream.getTracks().forEach(function (track) { pc.addTrack(track, stream); });
      // A video call receives video even when this side has no camera.
      if (self.video && stream.getVideoTracks().length === 0) pc.addTransceiver('video', { direction: 'recvonly' });
      pc.onicecandidate = function (event) {
        if (self.gatherFirst) return; // the candidates go in the offer's SDP
        var c = event.candidate;
        self.send({ kind: 'candidate', candidate: c ? c.toJSON() : { candidate: '' } });
      };
      pc.ontrack = function (event) {
        if (self.remoteStream.getTracks().indexOf(event.track) < 0) self.remoteStream.addTrack(event.track);
        self.playRemoteAudio();
        try { self.onRemoteStream(self.remoteStream); } catch (error) { console.error(error); }
      };
      pc.onconnectionstatechange = function () {
        var s = pc.connectionState;
        if (s === 'connected') self.setState('connected');
        else if (s === 'failed') self.setState('failed');
        else if (s === 'connecting') self.setState('connecting');
      };
      self.setState('connecting');
      // A call restarted while on hold starts on hold.
      if (self.held) self.setHeld(true, { music: self.heldMusic });
      var queued = self.pending.splice(0);
      var chain = Promise.resolve();
      queued.forEach(function (signal) { chain = chain.then(function () { return self.apply(signal); }); });
      return chain.then(function () { if (self.wantsOffer) return self.makeOffer(); });
    });
    this.started.catch(function (error) {
      console.warn('[Switchboard] the call could not start', error);
      self.setState('failed');
    });
    return this.started;
  };

  /** The offering side calls this once the other side has answered the session. */
  Call.prototype.offer = function () {
    this.wantsOffer = true;
    if (this.pc) return this.makeOffer();
    return this.start();
  };

  Call.prototype.makeOffer = function () {
    if (this.offerMade || !this.pc) return Promise.resolve();
    this.offerMade = true;
    var self = this;
    var pc = this.pc;
    return pc.createOffer().then(function (offer) {
      return pc.setLocalDescription(offer);
    }).then(function () {
      return self.gatherFirst ? self.gathered(pc) : null;
    }).then(function () {
      if (self.pc !== pc) return; // closed while gathering
      self.send({ kind: 'offer', sdp: pc.localDescription.sdp, attempt: self.attempt });
    });
  };

  /** Resolves when ICE gathering is complete (or after gatherTimeoutMs, with what was found). */
  Call.prototype.gathered = function (pc) {
    var timeoutMs = this.gatherTimeoutMs;
    return new Promise(function (resolve) {
      if (pc.iceGatheringState === 'complete') { resolve(); return; }
      var timer = setTimeout(finish, timeoutMs);
      function finish() {
        clearTimeout(timer);
        pc.removeEventListener('icegatheringstatechange', check);
        resolve();
      }
      function check() { if (pc.iceGatheringState === 'complete') finish(); }
      pc.addEventListener('icegatheringstatechange', check);
    });
  };

  /** A signal from the other side: offer, answer, candidate, hold, unhold or dtmf. */
  Call.prototype.handle = function (signal) {
    if (!signal || this.state === 'closed') return Promise.resolve();
    if (signal.kind === 'hold') { this.setHeld(true, { music: true }); return Promise.resolve(); }
    if (signal.kind === 'unhold') { this.setHeld(false); return Promise.resolve(); }
    if (signal.kind === 'dtmf') return Promise.resolve();
    if (!this.pc) { this.pending.push(signal); return Promise.resolve(); }
    return this.apply(signal);
  };

  Call.prototype.apply = function (signal) {
    var self = this;
    var pc = this.pc;
    if (signal.kind === 'offer') {
      // An offer made before the restart this side asked for (one without a name comes from a
      // page older than names: taken, as before).
      if (this.expectedAttempt && signal.attempt && signal.attempt !== this.expectedAttempt) return Promise.resolve();
      this.negotiated = true;
      return pc.setRemoteDescription({ type: 'offer', sdp: signal.sdp }).then(function () {
        return self.flushCandidates();
      }).then(function () {
        return pc.createAnswer();
      }).then(function (answer) {
        return pc.setLocalDescription(answer);
      }).then(function () {
        self.send({ kind: 'answer', sdp: pc.localDescription.sdp, attempt: signal.attempt || undefined });
      }).catch(function (error) { console.warn('[Switchboard] could not answer the call', error); self.setState('failed'); });
    }
    if (signal.kind === 'answer') {
      // A second answer (another tab of the same agent answered too) is ignored: the first won.
      if (pc.signalingState !== 'have-local-offer') return Promise.resolve();
      // An answer to an offer of a connection this side has since replaced.
      if (signal.attempt && signal.attempt !== this.attempt) return Promise.resolve();
      this.negotiated = true;
      return pc.setRemoteDescription({ type: 'answer', sdp: signal.sdp }).then(function () {
        self.watchConnection();
        return self.flushCandidates();
      }).catch(function (error) { console.warn('[Switchboard] could not use the answer', error); self.setState('failed'); });
    }
    if (signal.kind === 'candidate') {
      if (!pc.remoteDescription) { this.candidates.push(signal.candidate); return Promise.resolve(); }
      return this.addCandidate(signal.candidate);
    }
    return Promise.resolve();
  };

  /** gatherFirst calls: tells onStalled when the media path is not up stallTimeoutMs after the answer. */
  Call.prototype.watchConnection = function () {
    if (!this.gatherFirst || !this.onStalled) return;
    var self = this;
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(function () {
      if (self.state === 'closed' || !self.pc) return;
      // 'connected' needs ICE and DTLS: either may be what hangs.
      if (self.pc.connectionState === 'connected') return;
      try { self.onStalled('ICE ' + self.pc.iceConnectionState + ', DTLS ' + self.pc.connectionState); } catch (error) { console.error(error); }
    }, this.stallTimeoutMs);
  };

  Call.prototype.addCandidate = function (candidate) {
    if (!candidate || !candidate.candidate) return Promise.resolve(); // end of candidates
    return this.pc.addIceCandidate(candidate).catch(function (error) {
      console.warn('[Switchboard] ignored an ICE candidate', error);
    });
  };

  Call.prototype.flushCandidates = function () {
    var self = this;
    return Promise.all(this.candidates.splice(0).map(function (c) { return self.addCandidate(c); }));
  };

  /** Hold: nothing is sent (the senders carry no track); the held side hears the hold chime. */
  Call.prototype.setHeld = function (held, options) {
    this.held = !!held;
    this.heldMusic = !!(held && options && options.music);
    var local = this.localStream;
    if (this.pc) {
      this.pc.getSenders().forEach(function (sender) {
        if (held) {
          if (sender.track) { sender.__switchboardTrack = sender.track; sender.replaceTrack(null); }
        } else if (sender.__switchboardTrack) {
          sender.replaceTrack(sender.__switchboardTrack);
          sender.__switchboardTrack = null;
        }
      });
    }
    if (this.audio) this.audio.muted = this.held;
    if (held && options && options.music) this.holdMusic.start(); else this.holdMusic.stop();
    return !!local;
  };

  Call.prototype.applyMute = function () {
    if (!this.localStream) return;
    var self = this;
    this.localStream.getAudioTracks().forEach(function (track) { track.enabled = !self.micMuted; });
    this.localStream.getVideoTracks().forEach(function (track) { track.enabled = !self.videoMuted; });
  };

  Call.prototype.setMicMuted = function (muted) { this.micMuted = !!muted; this.applyMute(); };
  Call.prototype.setVideoMuted = function (muted) { this.videoMuted = !!muted; this.applyMute(); };

  Call.prototype.playRemoteAudio = function () {
    if (this.audio || this.remoteStream.getAudioTracks().length === 0) return;
    var audio = document.createElement('audio');
    audio.autoplay = true;
    audio.srcObject = this.remoteStream;
    audio.muted = this.held;
    audio.style.display = 'none';
    (document.body || document.documentElement).appendChild(audio);
    this.audio = audio;
    if (preferences.speakerId && audio.setSinkId) audio.setSinkId(preferences.speakerId).catch(function () {});
    var played = audio.play();
    if (played && played.catch) played.catch(function () { /* autoplay refused: plays on the next click */ });
  };

  /** Switches the live microphone without renegotiating. */
  Call.prototype.useMicrophone = function (deviceId) {
    var self = this;
    if (!this.localStream || !this.pc) return Promise.resolve();
    return navigator.mediaDevices.getUserMedia({ audio: deviceId ? { deviceId: { exact: deviceId } } : true }).then(function (stream) {
      var track = stream.getAudioTracks()[0];
      if (!self.pc || !self.localStream) { track.stop(); return; } // the call ended meanwhile
      var old = self.localStream.getAudioTracks()[0];
      self.pc.getSenders().forEach(function (sender) {
        var current = sender.track || sender.__switchboardTrack;
        if (current && current.kind === 'audio') {
          if (sender.track) sender.replaceTrack(track); else sender.__switchboardTrack = track;
        }
      });
      if (old) { self.localStream.removeTrack(old); old.stop(); }
      self.localStream.addTrack(track);
      self.applyMute();
    });
  };

  /** Plays the other side on another speaker, where the browser allows choosing. */
  Call.prototype.useSpeaker = function (deviceId) {
    if (!this.audio || !this.audio.setSinkId) return Promise.resolve();
    return this.audio.setSinkId(deviceId || '');
  };

  /** Byte counts from getStats(): what arrived from the other side and what was sent to it. */
  Call.prototype.stats = function () {
    var result = { inboundBytes: 0, inboundAudioBytes: 0, inboundVideoBytes: 0, outboundBytes: 0, state: this.state, held: this.held };
    if (!this.pc) return Promise.resolve(result);
    return this.pc.getStats().then(function (report) {
      report.forEach(function (entry) {
        if (entry.type === 'inbound-rtp') {
          result.inboundBytes += entry.bytesReceived || 0;
          if (entry.kind === 'video') result.inboundVideoBytes += entry.bytesReceived || 0;
          else result.inboundAudioBytes += entry.bytesReceived || 0;
        } else if (entry.type === 'outbound-rtp') {
          result.outboundBytes += entry.bytesSent || 0;
        } else if (entry.type === 'candidate-pair' && entry.nominated && entry.state === 'succeeded') {
          result.pairLocalCandidateId = entry.localCandidateId;
        }
      });
      // The kind of path media takes: 'host' (direct), 'srflx' (through NAT) or 'relay' (TURN).
      var local = result.pairLocalCandidateId && report.get(result.pairLocalCandidateId);
      result.path = local ? local.candidateType : null;
      delete result.pairLocalCandidateId;
      return result;
    });
  };

  /** Whether this connection took the other side's offer, or its answer, even one still queued:
   *  a tab letting the call go then knows the other side needs a new offer. */
  Call.prototype.hasNegotiated = function () {
    return this.negotiated || this.pending.some(function (signal) { return signal.kind === 'offer' || signal.kind === 'answer'; });
  };

  Call.prototype.close = function () {
    if (this.state === 'closed') return;
    clearTimeout(this.stallTimer);
    this.holdMusic.stop();
    if (this.pc) { try { this.pc.close(); } catch (error) { /* closed */ } }
    if (this.localStream) this.localStream.getTracks().forEach(function (track) { track.stop(); });
    if (this.audio) { this.audio.srcObject = null; this.audio.remove(); }
    this.pc = null;
    this.setState('closed');
  };

  window.SwitchboardCallMedia = {
    createCall: function (options) { return new Call(options); },
    /** The devices new calls open, and live calls switch to: {microphoneId, cameraId, speakerId}. */
    preferences: preferences
  };
})();
