#!/usr/bin/env python3
"""Calls the emulator with Alibaba Cloud's official Python SDKs, unchanged, and checks that the
answers parse into the SDKs' own models.

- alibabacloud_ecs20140526 (tea/darabonba, signs with V3 ACS3-HMAC-SHA256 by default)
- aliyun-python-sdk-ecs + aliyun-python-sdk-core (signature 1.0)

Usage: check_sdks.py ENDPOINT   (e.g. 127.0.0.1:8080; credentials: the emulator's demo pair
or ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET). Exits non-zero on failure.
"""

import json
import os
import sys
import time
import uuid

from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_ecs20140526.client import Client as EcsClient
from alibabacloud_tea_openapi import utils_models as open_api_models
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkecs.request.v20140526.DescribeCommandsRequest import DescribeCommandsRequest
from aliyunsdkecs.request.v20140526.DescribeInstancesRequest import DescribeInstancesRequest
from aliyunsdkecs.request.v20140526.DescribeInvocationsRequest import DescribeInvocationsRequest
from aliyunsdkecs.request.v20140526.InvokeCommandRequest import InvokeCommandRequest

REGION = "cn-hangzhou"
LINUX = "i-bp1emulinux000001"
# The emulator runs with `--instance-outcome i-bp1emulinux000002:exit=4,output-bytes=30000`.
FAILING = "i-bp1emulinux000002"
DEPLOY = "c-hz01emudeploy0001"
AK = os.environ.get("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tDemoAccessKey")
SK = os.environ.get("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "demo-secret-not-for-production")


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print(f"ok: {what}")


def tea_sdk(endpoint):
    """The current generated SDK; V3 signatures, answers mapped onto its models."""
    config = open_api_models.Config(
        access_key_id=AK, access_key_secret=SK, endpoint=endpoint, protocol="http", region_id=REGION
    )
    client = EcsClient(config)

    instances = client.describe_instances(
        ecs_models.DescribeInstancesRequest(region_id=REGION, status="Running", page_size=50)
    ).body
    check(isinstance(instances, ecs_models.DescribeInstancesResponseBody), "tea: DescribeInstances body model")
    found = instances.instances.instance
    check(any(i.instance_id == LINUX and i.ostype == "linux" for i in found), "tea: running Linux instance listed")
    check(any(i.ostype == "windows" for i in found), "tea: Windows instance listed")
    check(all(i.instance_network_type == "vpc" and i.status == "Running" for i in found), "tea: instance fields")
    check(instances.total_count == len(found) and instances.request_id, "tea: paging fields and RequestId")

    commands = client.describe_commands(
        ecs_models.DescribeCommandsRequest(region_id=REGION, command_id=DEPLOY)
    ).body
    command = commands.commands.command[0]
    check(command.enable_parameter is True, "tea: DescribeCommands EnableParameter")
    check(command.parameter_names.parameter_name == ["version", "env"], "tea: DescribeCommands ParameterNames")

    token = str(uuid.uuid4())
    request = ecs_models.InvokeCommandRequest(
        region_id=REGION,
        command_id=DEPLOY,
        instance_id=[LINUX],
        parameters={"version": "2.0.0", "env": "sdk"},
        client_token=token,
    )
    invoked = client.invoke_command(request).body
    check(invoked.invoke_id.startswith("t-") and invoked.request_id, "tea: InvokeCommand InvokeId")
    again = client.invoke_command(request).body
    check(again.invoke_id == invoked.invoke_id, "tea: ClientToken gives the same InvokeId")

    record = wait(
        lambda: client.describe_invocations(
            ecs_models.DescribeInvocationsRequest(
                region_id=REGION, invoke_id=invoked.invoke_id, include_output=True, content_encoding="PlainText"
            )
        ).body.invocations.invocation[0]
    )
    check(isinstance(record, ecs_models.DescribeInvocationsResponseBodyInvocationsInvocation), "tea: invocation model")
    run = record.invoke_instances.invoke_instance[0]
    check(run.output == "echo deploying 2.0.0 to sdk" and run.exit_code == 0, "tea: rendered output and exit code")
    check(json.loads(record.parameters) == {"version": "2.0.0", "env": "sdk"}, "tea: Parameters text")

    tagged = client.invoke_command(
        ecs_models.InvokeCommandRequest(
            region_id=REGION,
            command_id=DEPLOY,
            instance_id=[LINUX, FAILING],
            parameters={"version": "3.0.0", "env": "tags"},
            repeat_mode="Once",
            timeout=600,
            working_dir="/srv",
            termination_mode="ProcessTree",
            container_name="web-1",
            tag=[ecs_models.InvokeCommandRequestTag(key="team", value="ops")],
        )
    ).body
    record = wait(
        lambda: client.describe_invocations(
            ecs_models.DescribeInvocationsRequest(region_id=REGION, invoke_id=tagged.invoke_id, include_output=True)
        ).body.invocations.invocation[0],
        until="PartialFailed",
    )
    check(
        (record.timeout, record.working_dir, record.termination_mode, record.container_name)
        == (600, "/srv", "ProcessTree", "web-1"),
        "tea: the newer InvokeCommand parameters come back",
    )
    check([(t.tag_key, t.tag_value) for t in record.tags.tag] == [("team", "ops")], "tea: Tags model")
    failed = next(i for i in record.invoke_instances.invoke_instance if i.instance_id == FAILING)
    check(
        (failed.invocation_status, failed.exit_code, failed.error_code, failed.dropped)
        == ("Failed", 4, "ExitCodeNonzero", 30000 - 24 * 1024),
        "tea: a failed instance with dropped output",
    )
    check(failed.finish_time and failed.start_time and failed.repeats == 1, "tea: per-instance times and repeats")
    results = client.describe_invocation_results(
        ecs_models.DescribeInvocationResultsRequest(region_id=REGION, invoke_id=tagged.invoke_id, instance_id=FAILING)
    ).body
    result = results.invocation.invocation_results.invocation_result[0]
    check(
        isinstance(result, ecs_models.DescribeInvocationResultsResponseBodyInvocationInvocationResultsInvocationResult)
        and result.finished_time == failed.finish_time
        and result.tags.tag[0].tag_key == "team",
        "tea: DescribeInvocationResults model, FinishedTime",
    )

    try:
        client.invoke_command(
            ecs_models.InvokeCommandRequest(region_id=REGION, command_id="c-missing", instance_id=[LINUX])
        )
        raise AssertionError("tea: unknown command accepted")
    except Exception as error:  # the SDK's ClientException
        check(getattr(error, "code", None) == "InvalidCmdId.NotFound", "tea: error code mapped")
        check(getattr(error, "status_code", None) == 404 or "404" in str(error), "tea: error status")


def legacy_sdk(endpoint):
    """aliyun-python-sdk-core with signature 1.0; answers are JSON bytes."""
    client = AcsClient(AK, SK, REGION)

    def call(request):
        request.set_endpoint(endpoint)
        request.set_protocol_type("http")
        request.set_accept_format("json")
        return json.loads(client.do_action_with_exception(request))

    instances = call(DescribeInstancesRequest())
    check(instances["TotalCount"] >= 1 and instances["Instances"]["Instance"][0]["InstanceId"], "core: DescribeInstances")
    commands = DescribeCommandsRequest()
    commands.set_CommandId(DEPLOY)
    check(call(commands)["Commands"]["Command"][0]["CommandId"] == DEPLOY, "core: DescribeCommands")

    invoke = InvokeCommandRequest()
    invoke.set_CommandId(DEPLOY)
    invoke.set_InstanceIds([LINUX])
    invoke.set_Parameters(json.dumps({"version": "1.0", "env": "legacy"}))
    invoke.set_ClientToken(str(uuid.uuid4()))
    invoke_id = call(invoke)["InvokeId"]
    check(invoke_id.startswith("t-"), "core: InvokeCommand")

    def describe():
        request = DescribeInvocationsRequest()
        request.set_InvokeId(invoke_id)
        request.set_IncludeOutput(True)
        request.set_ContentEncoding("PlainText")
        return call(request)["Invocations"]["Invocation"][0]

    record = wait(describe, status_of=lambda r: r["InvocationStatus"])
    check(record["InvokeInstances"]["InvokeInstance"][0]["Output"] == "echo deploying 1.0 to legacy", "core: output")

    bad = InvokeCommandRequest()
    bad.set_CommandId(DEPLOY)
    bad.set_InstanceIds([LINUX])
    bad.set_Parameters(json.dumps({"unknown": "x"}))
    try:
        call(bad)
        raise AssertionError("core: unknown parameter accepted")
    except ServerException as error:
        check(error.get_error_code() == "Parameter.NotMatched" and error.get_http_status() == 403, "core: error mapped")


def wait(fetch, status_of=lambda r: r.invocation_status, until="Success"):
    for _ in range(100):
        record = fetch()
        if status_of(record) == until:
            return record
        time.sleep(0.1)
    raise AssertionError(f"invocation never reached {until}")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    endpoint = sys.argv[1].removeprefix("http://")
    tea_sdk(endpoint)
    legacy_sdk(endpoint)
    print("all SDK checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
