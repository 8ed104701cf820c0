//! Every error the emulator answers with: Alibaba's code, HTTP status and message per case.
//! The 2021 InvokeCommand reference's table fixes the statuses of its codes; the others follow
//! the current ECS reference and the POP gateway (`docs/api-notes.md#errors`,
//! `#invokecommand-error-statuses`).

use std::borrow::Cow;

use alicloud_api::invoke_command::TagError;

/// An API error as the client sees it: `Code`, `Message` and the HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    // --- gateway: request shape and authentication ---
    #[error("{0} is mandatory for this action.")]
    MissingCommon(&'static str),
    #[error("The request signature does not conform to Aliyun standards. {0}")]
    IncompleteSignature(String),
    #[error("Specified signature is not matched with our calculation. server string to sign is:{0}")]
    SignatureDoesNotMatch(String),
    #[error("Specified access key is not found.")]
    AccessKeyNotFound,
    #[error("Specified time stamp or date value is not well formatted.")]
    TimestampFormat,
    #[error("Specified time stamp or date value is expired.")]
    TimestampExpired,
    #[error("Specified signature nonce was used already.")]
    SignatureNonceUsed,
    #[error("The security token is required for this access key.")]
    MissingSecurityToken,
    #[error("The security token does not match the access key.")]
    SecurityTokenMismatch,
    #[error("Specified SecurityToken is expired.")]
    SecurityTokenExpired,
    #[error("Specified api is not found, please check your url and method.")]
    InvalidAction,
    #[error("Specified parameter Version is not valid.")]
    InvalidVersion,
    #[error("The HTTP method {0} is not supported.")]
    UnsupportedHttpMethod(String),
    #[error("Request was denied due to request throttling.")]
    Throttling,
    #[error("The request processing has failed due to some unknown error, exception or failure.")]
    InternalError,

    // --- generic parameter errors ---
    #[error("The input parameter \"{0}\" that is mandatory for processing this request is not supplied.")]
    MissingParameter(&'static str),
    #[error("The specified parameter \"{0}\" is not valid.")]
    InvalidParameter(&'static str),
    #[error("The specified parameter \"{0}\" is not valid.")]
    InvalidPaging(&'static str),

    // --- regions and resources ---
    #[error("The api is not supported in this region.")]
    RegionApiNotSupported,
    #[error("The specified region does not exist.")]
    RegionNotFound,
    #[error("The specified instance does not exist.")]
    InstanceNotFound,
    #[error("The specified instance type does not match the command.")]
    InstanceNotMatch,
    #[error("The specified command ID does not exist.")]
    CommandNotFound,
    #[error("The specified invoke ID does not exist.")]
    InvokeNotFound,
    #[error("The specified instance ID is not part of the invocation.")]
    InvocationInstanceNotFound,

    // --- InvokeCommand (the 2021 reference's table, then the newer codes added on top) ---
    #[error("An error occurred when you dispatched the request.")]
    Dispatch,
    #[error(
        "The input parameter \"InstanceId\" that is mandatory for processing this request is not supplied."
    )]
    MissingInstanceId,
    #[error("The frequency must be specified when you create a timed task.")]
    MissingFrequency,
    #[error("The specified frequency is invalid.")]
    InvalidFrequency,
    #[error("The number of instance IDs exceeds the upper limit.")]
    InstanceIdsExceedLimit,
    #[error("Parameters cannot be passed in when the command customization function is disabled.")]
    ParameterDisabled,
    #[error("The maximum number of parameters is exceeded.")]
    ParameterCountExceedLimit,
    #[error("The maximum length of a parameter name is exceeded.")]
    ParameterKeyExceedLimit,
    #[error("The maximum length of a command is exceeded.")]
    CmdContentExceedLimit,
    #[error("Parameter names cannot be duplicated.")]
    ParameterKeyDuplicate,
    #[error("The passed-in parameters do not match the parameters defined when you created the command.")]
    ParameterNotMatched,
    #[error("The length of the username exceeds the upper limit.")]
    UsernameExceedLimit,
    #[error("The specified parameters are not a valid JSON object.")]
    ParametersMalformed,
    #[error("Only string values are supported for parameters.")]
    ParameterTypeNotSupported,
    #[error("The length of the windows password name exceeds the upper limit.")]
    WindowsPasswordNameExceedLimit,
    #[error("The specified client token is not valid.")]
    ClientTokenMalformed,
    #[error("The specified repeat mode does not exist.")]
    RepeatModeNotFound,
    #[error("The specified working directory is not valid.")]
    WorkingDirInvalid,
    #[error("The number of InvokeCommand calls in this region today exceeds the quota.")]
    InvocationExceedQuota,
    #[error("The specified client token was already used with different parameters.")]
    IdempotentParameterMismatch,
    #[error("The specified termination mode does not exist.")]
    TerminationModeNotFound,
    #[error("The specified container ID is malformed.")]
    ContainerIdMalformed,
    #[error("The specified container name is malformed.")]
    ContainerNameMalformed,
    /// `Tag.N`: codes by analogy with the documented `ResourceTag` ones (unverified).
    #[error("The specified tags are not valid: {0}.")]
    Tag(TagError),

    // --- STS (API 2015-04-01) ---
    #[error("You are not authorized to do this action. You should be authorized by RAM.")]
    NoPermission,
    #[error("The role not exists: {0}.")]
    RoleNotFound(String),
    #[error("The specified OIDC provider does not exist.")]
    OidcProviderNotFound,
    #[error("The OIDC token is invalid: {0}.")]
    OidcTokenInvalid(&'static str),
    #[error("The OIDC token has expired.")]
    OidcTokenExpired,

    // --- CreateCommand / ModifyCommand ---
    #[error("The specified command type does not exist.")]
    CommandTypeNotFound,
    #[error("The length of the command name exceeds the upper limit.")]
    CmdNameExceedLimit,
    #[error("The length of the command description exceeds the upper limit.")]
    CmdDescExceedLimit,
    #[error("A custom parameter name in the command content is empty.")]
    CmdParamEmptyKey,
    #[error("A custom parameter name in the command content is not valid.")]
    CmdParamInvalidName,
    #[error("The length of a custom parameter name exceeds the upper limit.")]
    CmdParamNameExceedLimit,
    #[error("The number of custom parameters in the command content exceeds the upper limit.")]
    CmdParamCountExceedLimit,
}

impl ApiError {
    /// The `Code` field.
    pub fn code(&self) -> Cow<'static, str> {
        use ApiError::*;
        let fixed = match self {
            MissingCommon(name) => return Cow::Owned(format!("Missing{name}")),
            MissingParameter(name) => return Cow::Owned(format!("MissingParameter.{name}")),
            InvalidPaging(name) => return Cow::Owned(format!("InvalidParam.{name}")),
            IncompleteSignature(_) => "IncompleteSignature",
            SignatureDoesNotMatch(_) => "SignatureDoesNotMatch",
            AccessKeyNotFound => "InvalidAccessKeyId.NotFound",
            TimestampFormat => "InvalidTimeStamp.Format",
            TimestampExpired => "InvalidTimeStamp.Expired",
            SignatureNonceUsed => "SignatureNonceUsed",
            MissingSecurityToken => "MissingSecurityToken",
            SecurityTokenMismatch => "InvalidSecurityToken.MismatchWithAccessKey",
            SecurityTokenExpired => "InvalidSecurityToken.Expired",
            NoPermission => "NoPermission",
            RoleNotFound(_) => "EntityNotExist.Role",
            OidcProviderNotFound => "EntityNotExist.OIDCProvider",
            OidcTokenInvalid(_) => "AuthenticationFail.OIDCToken.Invalid",
            OidcTokenExpired => "AuthenticationFail.OIDCToken.Expired",
            InvalidAction => "InvalidAction.NotFound",
            InvalidVersion => "InvalidVersion",
            UnsupportedHttpMethod(_) => "UnsupportedHTTPMethod",
            Throttling => "Throttling",
            InternalError => "InternalError",
            InvalidParameter(_) => "InvalidParameter",
            RegionApiNotSupported => "RegionId.ApiNotSupported",
            RegionNotFound => "InvalidRegionId.NotFound",
            InstanceNotFound => "InvalidInstance.NotFound",
            InstanceNotMatch => "InvalidInstance.NotMatch",
            CommandNotFound => "InvalidCmdId.NotFound",
            InvokeNotFound => "InvalidInvokeId.NotFound",
            InvocationInstanceNotFound => "InvalidInstanceId.NotFound",
            Dispatch => "InternalError.Dispatch",
            MissingInstanceId => "MissingParam.InstanceId",
            MissingFrequency => "MissingParam.Frequency",
            InvalidFrequency => "InvalidParam.Frequency",
            InstanceIdsExceedLimit => "InstanceIds.ExceedLimit",
            ParameterDisabled => "Parameter.Disabled",
            ParameterCountExceedLimit => "ParameterCount.ExceedLimit",
            ParameterKeyExceedLimit => "ParameterKey.ExceedLimit",
            CmdContentExceedLimit => "CmdContent.ExceedLimit",
            ParameterKeyDuplicate => "ParameterKey.Duplicate",
            ParameterNotMatched => "Parameter.NotMatched",
            UsernameExceedLimit => "Username.ExceedLimit",
            ParametersMalformed => "InvalidParameter.Parameters",
            ParameterTypeNotSupported => "ParameterType.NotSupported",
            WindowsPasswordNameExceedLimit => "WindowsPasswordName.ExceedLimit",
            ClientTokenMalformed => "InvalidClientToken.Malformed",
            RepeatModeNotFound => "InvalidRepeatMode.NotFound",
            WorkingDirInvalid => "InvalidParameter.WorkingDir",
            InvocationExceedQuota => "Invocation.ExceedQuota",
            IdempotentParameterMismatch => "IdempotentParameterMismatch",
            TerminationModeNotFound => "InvalidTerminationMode.NotFound",
            ContainerIdMalformed => "InvalidContainerId.Malformed",
            ContainerNameMalformed => "InvalidContainerName.Malformed",
            Tag(TagError::TooMany) => "NumberExceed.Tags",
            Tag(TagError::EmptyKey) => "MissingParameter.TagKey",
            Tag(TagError::KeyTooLong | TagError::ReservedKey | TagError::KeyWithUrl) => {
                "InvalidTagKey.Malformed"
            }
            Tag(TagError::ValueTooLong) => "InvalidTagValue.Malformed",
            Tag(TagError::DuplicateKey) => "Duplicate.TagKey",
            CommandTypeNotFound => "InvalidCmdType.NotFound",
            CmdNameExceedLimit => "CmdName.ExceedLimit",
            CmdDescExceedLimit => "CmdDesc.ExceedLimit",
            CmdParamEmptyKey => "CmdParam.EmptyKey",
            CmdParamInvalidName => "CmdParam.InvalidParamName",
            CmdParamNameExceedLimit => "CmdParamName.ExceedLimit",
            CmdParamCountExceedLimit => "CmdParamCount.ExceedLimit",
        };
        Cow::Borrowed(fixed)
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        use ApiError::*;
        match self {
            InternalError | Dispatch => 500,
            AccessKeyNotFound
            | InvalidAction
            | RegionNotFound
            | InstanceNotFound
            | CommandNotFound
            | InvokeNotFound
            | InvocationInstanceNotFound
            | ParameterDisabled
            | RepeatModeNotFound
            | TerminationModeNotFound
            | RoleNotFound(_)
            | OidcProviderNotFound => 404,
            InstanceNotMatch
            | MissingFrequency
            | InvalidFrequency
            | InstanceIdsExceedLimit
            | ParameterCountExceedLimit
            | ParameterKeyExceedLimit
            | CmdContentExceedLimit
            | ParameterKeyDuplicate
            | ParameterNotMatched
            | UsernameExceedLimit
            | ParameterTypeNotSupported
            | WindowsPasswordNameExceedLimit
            | InvocationExceedQuota
            | IdempotentParameterMismatch
            | InvalidPaging(_)
            | CommandTypeNotFound
            | CmdNameExceedLimit
            | CmdDescExceedLimit
            | CmdParamEmptyKey
            | CmdParamInvalidName
            | CmdParamNameExceedLimit
            | CmdParamCountExceedLimit
            | NoPermission => 403,
            MissingCommon(_)
            | IncompleteSignature(_)
            | SignatureDoesNotMatch(_)
            | TimestampFormat
            | TimestampExpired
            | SignatureNonceUsed
            | MissingSecurityToken
            | SecurityTokenMismatch
            | SecurityTokenExpired
            | OidcTokenInvalid(_)
            | OidcTokenExpired
            | InvalidVersion
            | UnsupportedHttpMethod(_)
            | Throttling
            | MissingParameter(_)
            | InvalidParameter(_)
            | RegionApiNotSupported
            | MissingInstanceId
            | ParametersMalformed
            | ClientTokenMalformed
            | WorkingDirInvalid
            | ContainerIdMalformed
            | ContainerNameMalformed
            | Tag(_) => 400,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ApiError::*;

    #[test]
    fn reference_table_codes_and_statuses() {
        let table = [
            (RegionApiNotSupported, 400, "RegionId.ApiNotSupported"),
            (Dispatch, 500, "InternalError.Dispatch"),
            (InstanceNotFound, 404, "InvalidInstance.NotFound"),
            (InstanceNotMatch, 403, "InvalidInstance.NotMatch"),
            (CommandNotFound, 404, "InvalidCmdId.NotFound"),
            (MissingFrequency, 403, "MissingParam.Frequency"),
            (InvalidFrequency, 403, "InvalidParam.Frequency"),
            (InstanceIdsExceedLimit, 403, "InstanceIds.ExceedLimit"),
            (ParameterDisabled, 404, "Parameter.Disabled"),
            (ParameterCountExceedLimit, 403, "ParameterCount.ExceedLimit"),
            (ParameterKeyExceedLimit, 403, "ParameterKey.ExceedLimit"),
            (CmdContentExceedLimit, 403, "CmdContent.ExceedLimit"),
            (ParameterKeyDuplicate, 403, "ParameterKey.Duplicate"),
            (ParameterNotMatched, 403, "Parameter.NotMatched"),
            (UsernameExceedLimit, 403, "Username.ExceedLimit"),
        ];
        for (error, status, code) in table {
            assert_eq!((error.status(), error.code().as_ref()), (status, code));
        }
    }

    #[test]
    fn newer_invoke_codes_and_statuses() {
        use alicloud_api::invoke_command::TagError;
        let table = [
            (RepeatModeNotFound, 404, "InvalidRepeatMode.NotFound"),
            (TerminationModeNotFound, 404, "InvalidTerminationMode.NotFound"),
            (WorkingDirInvalid, 400, "InvalidParameter.WorkingDir"),
            (ContainerIdMalformed, 400, "InvalidContainerId.Malformed"),
            (ContainerNameMalformed, 400, "InvalidContainerName.Malformed"),
            (Tag(TagError::TooMany), 400, "NumberExceed.Tags"),
            (Tag(TagError::ReservedKey), 400, "InvalidTagKey.Malformed"),
            (Tag(TagError::ValueTooLong), 400, "InvalidTagValue.Malformed"),
            (Tag(TagError::DuplicateKey), 400, "Duplicate.TagKey"),
        ];
        for (error, status, code) in table {
            assert_eq!((error.status(), error.code().as_ref()), (status, code));
        }
    }

    #[test]
    fn reference_messages_are_verbatim() {
        assert_eq!(
            ParameterDisabled.to_string(),
            "Parameters cannot be passed in when the command customization function is disabled."
        );
        assert_eq!(
            InstanceNotMatch.to_string(),
            "The specified instance type does not match the command."
        );
    }

    #[test]
    fn parameterised_codes() {
        assert_eq!(MissingCommon("Timestamp").code(), "MissingTimestamp");
        assert_eq!(MissingParameter("CommandId").code(), "MissingParameter.CommandId");
        assert_eq!(InvalidPaging("PageSize").code(), "InvalidParam.PageSize");
        assert!(SignatureDoesNotMatch("GET&%2F&x".into())
            .to_string()
            .ends_with("server string to sign is:GET&%2F&x"));
    }
}
